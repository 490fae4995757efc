//! `zeromq-xop`: a demo host, a one-shot client and a subscriber, built on the library. The
//! benchmark is a program of its own, `zeromq-xop-bench` (bench/).
//!
//! ```text
//! zeromq-xop demo [ENDPOINT] [--pub ENDPOINT] [--exit-after SECONDS]
//! zeromq-xop call ENDPOINT FUNCTION [PARAM...] [--timeout MS] [--id MESSAGEID]
//! zeromq-xop listen ENDPOINT [FILTER...] [--count N] [--timeout MS]
//! ```

#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod cli;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("demo") => cli::demo::run(&args[1..]),
        Some("call") => cli::call::run(&args[1..]),
        Some("listen") => cli::listen::run(&args[1..]),
        Some("--version") | Some("version") => {
            println!("zeromq-xop {}", env!("CARGO_PKG_VERSION"));
            0
        }
        _ => {
            eprintln!("{}", cli::USAGE);
            2
        }
    };
    std::process::exit(code);
}
