//! `zeromq-xop demo`: a host serving a few functions through the C ABI, the way a C host does.
//!
//! Functions (parameters in JSON order):
//! - `add(a, b)`: the number a + b.
//! - `greet(name)`: the string "Hello, <name>!".
//! - `matrix(rows, cols)`: a rows x cols NT_FP64 wave with element (r, c) = 10 r + c, sent in
//!   column-major order (numpy: `np.array(raw).reshape(size, order='F')`), with the data unit
//!   "V", scaling 0.5 per row and the label "rows"/"cols".
//! - `ramp_i16(n)`: a 1-D NT_I16 wave 0, 1, ..., n-1 (wrapping at 32767).
//! - `divmod(a, b)`: multiple return values [a div b, a mod b].
//! - `concat(a, b)`: by-reference demo: result a+b as string, passByReference [a, b].
//! - `fail(message)`: fails with REQ 107 and the message as history.
//! - `version()`: the library version.
//! - `wave_echo(w)`, `wave_sum(w)`, `wave_info(w)`: waves as parameters (see `demo_waves`).
//!
//! Unknown names answer 101, wrong parameter counts 102/103, non-numeric text for a number
//! 106. Every call is also published on the topic "calls" with the function name as payload.

use super::{check, option, split_options};
use std::ffi::{c_char, c_void};
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::library::zeromq_library_version;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;
use zeromq_xop::ffi::wave::*;
use zeromq_xop::ffi::wave_read::zeromq_wave_data_mut;

/// The default server endpoint of the demo.
pub const DEFAULT_ENDPOINT: &str = "tcp://127.0.0.1:5670";

struct Args<'a> {
    call: *const zeromq_call,
    reply: *mut zeromq_reply,
    _p: std::marker::PhantomData<&'a ()>,
}

impl Args<'_> {
    fn count(&self) -> usize {
        // SAFETY: valid during the dispatch.
        unsafe { zeromq_call_param_count(self.call) }
    }

    fn expect(&self, n: usize) -> bool {
        let have = self.count();
        if have == n {
            return true;
        }
        let code = if have < n {
            ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS
        } else {
            ZEROMQ_REQ_TOO_MANY_FUNCTION_PARAMS
        };
        self.error(code, "");
        false
    }

    fn number(&self, i: usize) -> Option<f64> {
        let mut v = 0.0;
        // SAFETY: valid during the dispatch.
        let s = unsafe { zeromq_call_param_double(self.call, i, &mut v) };
        if s == 0 {
            Some(v)
        } else {
            self.error(ZEROMQ_REQ_INVALID_PARAM_FORMAT, "");
            None
        }
    }

    fn text(&self, i: usize) -> String {
        let mut p: *const c_char = std::ptr::null();
        let mut n = 0usize;
        let mut kind = 0;
        // SAFETY: valid during the dispatch; the text is copied at once.
        unsafe {
            if zeromq_call_param(self.call, i, &mut kind, &mut p, &mut n) != 0 {
                return String::new();
            }
            String::from_utf8_lossy(std::slice::from_raw_parts(p as *const u8, n)).into_owned()
        }
    }

    fn error(&self, code: i32, history: &str) {
        // SAFETY: valid during the dispatch.
        unsafe {
            zeromq_reply_error(
                self.reply,
                code,
                history.as_ptr() as *const c_char,
                history.len(),
            )
        };
    }

    fn variable(&self, v: f64) {
        // SAFETY: valid during the dispatch.
        unsafe { zeromq_reply_variable(self.reply, v) };
    }

    fn string(&self, s: &str) {
        // SAFETY: valid during the dispatch.
        unsafe { zeromq_reply_string(self.reply, s.as_ptr() as *const c_char, s.len()) };
    }
}

fn name_of(call: *const zeromq_call) -> String {
    let mut p: *const c_char = std::ptr::null();
    let mut n = 0usize;
    // SAFETY: valid during the dispatch.
    unsafe {
        if zeromq_call_name(call, &mut p, &mut n) != 0 {
            return String::new();
        }
        String::from_utf8_lossy(std::slice::from_raw_parts(p as *const u8, n)).into_owned()
    }
}

fn matrix_wave(rows: u64, cols: u64) -> *mut zeromq_wave {
    let dims = [rows, cols];
    let mut w = std::ptr::null_mut();
    // SAFETY: arguments are valid; the points are written in place (column-major, native
    // layout) while the wave is ours; the wave is handed to the reply, which owns it.
    unsafe {
        if zeromq_wave_new(ZEROMQ_NT_FP64, dims.as_ptr(), 2, &mut w) != 0 {
            return std::ptr::null_mut();
        }
        let (mut data, mut bytes) = (std::ptr::null_mut(), 0usize);
        if zeromq_wave_data_mut(w, &mut data, &mut bytes) != 0 {
            zeromq_wave_free(w);
            return std::ptr::null_mut();
        }
        if bytes > 0 {
            let points = std::slice::from_raw_parts_mut(data as *mut u8, bytes);
            for (i, p) in points.chunks_exact_mut(8).enumerate() {
                let (r, c) = (i as u64 % rows, i as u64 / rows);
                p.copy_from_slice(&(10.0 * r as f64 + c as f64).to_ne_bytes());
            }
        }
        zeromq_wave_set_data_unit(w, b"V".as_ptr() as *const c_char, 1);
        zeromq_wave_set_scaling(w, 0, 0.5, 0.0);
        zeromq_wave_set_dim_label(w, 0, -1, b"rows".as_ptr() as *const c_char, 4);
        zeromq_wave_set_dim_label(w, 1, -1, b"cols".as_ptr() as *const c_char, 4);
    }
    w
}

fn ramp_wave(n: u64) -> *mut zeromq_wave {
    let dims = [n];
    let mut w = std::ptr::null_mut();
    let data: Vec<i16> = (0..n).map(|i| (i % 32768) as i16).collect();
    // SAFETY: as above.
    unsafe {
        if zeromq_wave_new(ZEROMQ_NT_I16, dims.as_ptr(), 1, &mut w) != 0 {
            return std::ptr::null_mut();
        }
        zeromq_wave_set_data(w, data.as_ptr() as *const c_void, data.len() * 2);
    }
    w
}

/// The demo dispatcher (also used by the benchmark's host).
pub unsafe extern "C" fn dispatch(
    _user: *mut c_void,
    call: *const zeromq_call,
    reply: *mut zeromq_reply,
) {
    let a = Args {
        call,
        reply,
        _p: std::marker::PhantomData,
    };
    let name = name_of(call);
    let topic = b"calls";
    // SAFETY: both (pointer, length) pairs are live byte strings of this function.
    unsafe {
        zeromq_pub_send(
            topic.as_ptr() as *const c_char,
            topic.len(),
            name.as_ptr() as *const c_char,
            name.len(),
        )
    };
    match name.as_str() {
        "add" => {
            if a.expect(2) {
                if let (Some(x), Some(y)) = (a.number(0), a.number(1)) {
                    a.variable(x + y);
                }
            }
        }
        "greet" => {
            if a.expect(1) {
                a.string(&format!("Hello, {}!", a.text(0)));
            }
        }
        "echo" => {
            if a.expect(1) {
                a.string(&a.text(0));
            }
        }
        "matrix" | "ramp_i16" => {
            let want = if name == "matrix" { 2 } else { 1 };
            if !a.expect(want) {
                return;
            }
            let mut dims = [0u64; 2];
            for (i, d) in dims.iter_mut().enumerate().take(want) {
                match a.number(i) {
                    Some(v) if (0.0..=10_000_000.0).contains(&v) && v.fract() == 0.0 => {
                        *d = v as u64
                    }
                    Some(_) => return a.error(ZEROMQ_REQ_INVALID_PARAM_FORMAT, ""),
                    None => return,
                }
            }
            let w = if name == "matrix" {
                matrix_wave(dims[0], dims[1])
            } else {
                ramp_wave(dims[0])
            };
            if w.is_null() {
                a.error(ZEROMQ_REQ_INVALID_PARAM_FORMAT, "");
            } else {
                // SAFETY: `reply` is the dispatcher's reply; `w` a wave this function built.
                unsafe { zeromq_reply_wave(reply, w) };
            }
        }
        "divmod" => {
            if a.expect(2) {
                if let (Some(x), Some(y)) = (a.number(0), a.number(1)) {
                    // SAFETY: `reply` is the dispatcher's reply.
                    unsafe { zeromq_reply_multiple(reply) };
                    a.variable((x / y).floor());
                    a.variable(x - y * (x / y).floor());
                }
            }
        }
        "concat" => {
            if a.expect(2) {
                let (x, y) = (a.text(0), a.text(1));
                a.string(&format!("{x}{y}"));
                // SAFETY: `reply` is the dispatcher's reply; `x` and `y` are live strings.
                unsafe {
                    zeromq_reply_by_ref_string(reply, x.as_ptr() as *const c_char, x.len());
                    zeromq_reply_by_ref_string(reply, y.as_ptr() as *const c_char, y.len());
                }
            }
        }
        "fail" => {
            if a.expect(1) {
                a.error(ZEROMQ_REQ_FUNCTION_ABORTED, &a.text(0));
            }
        }
        "version" => {
            if a.expect(0) {
                // SAFETY: the library's version is a static NUL-terminated string.
                let v = unsafe { std::ffi::CStr::from_ptr(zeromq_library_version()) };
                a.string(&v.to_string_lossy());
            }
        }
        n if super::demo_waves::NAMES.contains(&n) => {
            // SAFETY: `call` and `reply` are this dispatcher's arguments.
            unsafe { super::demo_waves::dispatch(n, call, reply) }
        }
        _ => a.error(ZEROMQ_REQ_NON_EXISTING_FUNCTION, ""),
    }
}

unsafe extern "C" fn print_output(_user: *mut c_void, text: *const c_char, len: usize) {
    // SAFETY: the library passes `len` readable bytes at `text` for the call.
    let t = unsafe { std::slice::from_raw_parts(text as *const u8, len) };
    eprintln!("{}", String::from_utf8_lossy(t));
}

/// The publisher endpoint next to a server endpoint: same host, port + 1.
pub fn pub_endpoint_for(server: &str) -> Option<String> {
    let (host, port) = server.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    Some(format!("{host}:{}", port.checked_add(1)?))
}

/// Run the demo host.
pub fn run(args: &[String]) -> i32 {
    match serve(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("zeromq-xop demo: {e}");
            1
        }
    }
}

fn serve(args: &[String]) -> Result<(), String> {
    let names: Vec<&str> = ["--pub", "--exit-after"]
        .into_iter()
        .chain(super::secure::OPTIONS)
        .collect();
    let (pos, opts) = split_options(args, &names)?;
    super::secure::apply(&opts)?;
    let endpoint = pos
        .first()
        .cloned()
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
    let publish = match opts.iter().find(|(n, _)| n == "--pub") {
        Some((_, v)) => Some(v.clone()),
        None => pub_endpoint_for(&endpoint),
    };
    let exit_after: f64 = option(&opts, "--exit-after", 0.0)?;
    // SAFETY: plain calls into the library with valid pointers.
    unsafe {
        check("zeromq_set_output", zeromq_set_output_rs())?;
        check(
            "zeromq_set_dispatcher",
            zeromq_set_dispatcher(Some(dispatch), std::ptr::null_mut()),
        )?;
        check(
            "zeromq_set_max_message_size",
            zeromq_set_max_message_size(-1),
        )?;
        check(
            "zeromq_server_bind",
            zeromq_server_bind(endpoint.as_ptr() as *const c_char, endpoint.len()),
        )?;
        if let Some(p) = &publish {
            check(
                "zeromq_pub_bind",
                zeromq_pub_bind(p.as_ptr() as *const c_char, p.len()),
            )?;
        }
        check("zeromq_handler_start", zeromq_handler_start())?;
    }
    println!("zeromq-xop demo host: serving on {endpoint}");
    if let Some(p) = &publish {
        println!("publishing heartbeats and call events on {p}");
    }
    println!("functions: add(a,b) greet(name) echo(s) matrix(rows,cols) ramp_i16(n) divmod(a,b) concat(a,b) fail(msg) version() wave_echo(w) wave_sum(w) wave_info(w)");
    let started = std::time::Instant::now();
    loop {
        let wait = if exit_after > 0.0 {
            let left = exit_after - started.elapsed().as_secs_f64();
            if left <= 0.0 {
                break;
            }
            (left * 1000.0).ceil() as i32
        } else {
            -1
        };
        let mut n = 0u32;
        // SAFETY: plain calls on the host's thread.
        unsafe {
            zeromq_handler_wait(wait);
            zeromq_handler_process(&mut n);
        }
    }
    zeromq_stop();
    Ok(())
}

unsafe fn zeromq_set_output_rs() -> i32 {
    // SAFETY: `print_output` may be called from any thread and needs no user data.
    unsafe { zeromq_xop::ffi::library::zeromq_set_output(Some(print_output), std::ptr::null_mut()) }
}
