//! Reference conversions through the C library, the oracle for number text.

/// C's `%.15g` of a double.
pub fn c_g15(v: f64) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: the buffer holds any %.15g output; snprintf NUL-terminates and truncates.
    let n = unsafe {
        libc::snprintf(
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            c"%.15g".as_ptr(),
            v,
        )
    };
    String::from_utf8_lossy(&buf[..n as usize]).into_owned()
}

/// The JSON token the library must write for a double (SPEC 4.7).
pub fn g15_token(v: f64) -> String {
    if v.is_nan() {
        "\"nan\"".into()
    } else if v.is_infinite() {
        if v > 0.0 { "\"inf\"" } else { "\"-inf\"" }.into()
    } else {
        c_g15(v)
    }
}

/// C `strtod` over the whole text (the text ends at its first NUL, as a C host sees it):
/// `Some(value)` when everything was consumed.
pub fn c_strtod_full(text: &[u8]) -> Option<f64> {
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    let c = std::ffi::CString::new(&text[..end]).expect("no NUL");
    let mut stop: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: c is NUL-terminated; stop receives a pointer into it.
    let v = unsafe { libc::strtod(c.as_ptr(), &mut stop) };
    let used = stop as usize - c.as_ptr() as usize;
    (used == end).then_some(v)
}

pub(crate) fn same_double(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits(),
        _ => false,
    }
}
