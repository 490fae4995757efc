//! The fuzz harness shared by the libFuzzer targets in `fuzz/fuzz_targets/` and by
//! `tests/fuzz_regressions.rs`, which replays every committed seed and crash input through the
//! same functions with the stable toolchain.
//!
//! Each entry point takes arbitrary bytes, drives one part of the library with them and checks
//! the result against an independent oracle written from SPEC.md: a mismatch or a panic is a
//! finding. The entry points:
//!
//! - [`phase_a`]: request parsing and validation (SPEC 4.3), the error replies, the `%.15g`
//!   text of number parameters and the C `strtod` conversion of parameters; the result must
//!   equal that of the tree parser in [`phase_a_oracle`].
//! - [`builders`]: the wave builder and the reply builder driven by a decoded sequence of
//!   operations, then both serializers (pretty and compact), checked against a shadow model.
//! - [`logging_template`]: template validation (SPEC 8.3), log lines and timestamps.
//! - [`frames`]: the frame-layout checks of every receiving role, over inproc sockets.
//! - [`handler_wire`]: whole messages through the running message handler and back.
//! - [`security_parsing`]: Z85 keys, address rules and certificate files against a model.
//!
//! The harness is a library of its own so that each target links only what it uses and the
//! shared oracle is written once.

pub mod c_reference;
pub mod input;
pub mod json_text;
pub mod phase_a_oracle;
pub mod shadow;

mod builders;
mod frames;
mod handler_wire;
mod logging_template;
mod phase_a;
mod security_parsing;

pub use builders::builders;
pub use frames::frames;
pub use handler_wire::handler_wire;
pub use logging_template::logging_template;
pub use phase_a::phase_a;
pub use security_parsing::security_parsing;
