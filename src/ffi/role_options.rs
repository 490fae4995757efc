//! Options of the role sockets (`zeromq_role_set_option`); the `ZEROMQ_OPT_*` numbers are in
//! [`super::options`].

use super::{bytes, call, manager};
use crate::error::Error;
use crate::role::Role;
use std::ffi::c_void;

/// Set a libzmq option (`ZEROMQ_OPT_*`) on a role socket (`ZEROMQ_ROLE_*`): `value`/`len` as
/// `zmq_setsockopt` takes them (int options are int32_t, MAXMSGSIZE int64_t, keys 40
/// characters of Z85 or 32 bytes, the rest bytes). The option is kept across `zeromq_stop`,
/// applied whenever the role socket is created, and at once when it exists (binds and
/// connections made before keep their security settings). A new role socket gets the options
/// in the order they were last set, so it ends as the open one did: `ZEROMQ_OPT_CURVE_SERVER`
/// 0 after a CURVE key turns CURVE off for the open socket and for the next one.
///
/// Returns `ZEROMQ_ERR_INVALID_ARG` for an unknown role or option or a value of the wrong size,
/// `ZEROMQ_ERR_INVALID_KEY` for a bad CURVE key.
///
/// # Safety
///
/// `value` must be NULL or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zeromq_role_set_option(
    role: i32,
    option: i32,
    value: *const c_void,
    len: usize,
) -> i32 {
    call(|| {
        let role = Role::from_i32(role)
            .ok_or_else(|| Error::invalid_arg(format!("Unknown role {role}.")))?;
        // SAFETY: `value` is NULL or points to `len` readable bytes (the function's contract).
        manager().set_role_option(role, option, unsafe { bytes(value, len, "value") }?)
    })
}
