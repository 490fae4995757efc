//! Error codes (the reference XOP's numbers), their message texts, and the per-thread detail
//! text that `zeromq_last_error` reports.

use std::cell::RefCell;
use std::fmt;

/// The status codes returned by every C function. The numbers are the reference XOP's
/// (`FIRST_XOP_ERR` = 10000 plus n), so the Igor glue can pass them straight through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Code {
    /// A panic or another unexpected failure was caught at the C boundary.
    Unhandled = 10002,
    /// `zeromq_set` was given no known flag.
    UnknownSetFlag = 10003,
    /// An internal consistency check failed.
    Internal = 10004,
    /// Invalid argument, or a failing libzmq call.
    InvalidArg = 10005,
    /// The message handler is already running.
    HandlerAlreadyRunning = 10006,
    /// The message handler found no bound server socket.
    HandlerNoConnection = 10007,
    /// A received message does not have the expected frame layout.
    InvalidMessageFormat = 10009,
    /// The logging template is not a JSON object or uses a reserved key.
    InvalidLoggingTemplate = 10010,
    /// The subscriber filter exists already.
    MessageFilterDuplicated = 10011,
    /// The subscriber filter does not exist.
    MessageFilterMissing = 10012,
    /// A value of an unexpected type was encountered.
    InvalidType = 10013,
    /// A send could not be queued within its timeout.
    Timeout = 10014,
    /// A socket id that was closed, or never existed.
    Closed = 10015,
    /// A subscriber filter longer than `ZEROMQ_MAX_FILTER_LENGTH` bytes.
    FilterTooLong = 10016,
    /// A CURVE key that is not 40 characters of Z85 text (or 32 bytes where bytes are taken).
    InvalidKey = 10040,
    /// An address rule that is neither an IP address nor a CIDR block.
    InvalidAddress = 10041,
    /// A certificate file that could not be read, written or understood.
    InvalidCertificate = 10042,
}

impl Code {
    /// The reference XOP's message text for this code (SPEC 0.2).
    pub fn text(self) -> &'static str {
        match self {
            Code::Unhandled => "Unhandled C++ exception.",
            Code::UnknownSetFlag => "Unknown zeromq_set flag.",
            Code::Internal => "Internal error, this should not happen!",
            Code::InvalidArg => "Invalid argument!",
            Code::HandlerAlreadyRunning => "Message handler already running.",
            Code::HandlerNoConnection => "Message handler could not find a binded server.",
            Code::InvalidMessageFormat => "Unexpected multi-part message format.",
            Code::InvalidLoggingTemplate => "Invalid logging template.",
            Code::MessageFilterDuplicated => "Exists already as message filter .",
            Code::MessageFilterMissing => "No such message filter.",
            Code::InvalidType => "Invalid type encountered.",
            Code::Timeout => "The message could not be queued within the timeout.",
            Code::Closed => "No such socket: it was closed or never existed.",
            Code::FilterTooLong => "The message filter is too long.",
            Code::InvalidKey => "Invalid CURVE key: expected 40 characters of Z85 text.",
            Code::InvalidAddress => "Invalid address: expected an IP address or a CIDR block.",
            Code::InvalidCertificate => "Invalid certificate file.",
        }
    }

    /// Every status code, in number order (the table behind `zeromq_error_text`).
    pub const ALL: &'static [Code] = &[
        Code::Unhandled,
        Code::UnknownSetFlag,
        Code::Internal,
        Code::InvalidArg,
        Code::HandlerAlreadyRunning,
        Code::HandlerNoConnection,
        Code::InvalidMessageFormat,
        Code::InvalidLoggingTemplate,
        Code::MessageFilterDuplicated,
        Code::MessageFilterMissing,
        Code::InvalidType,
        Code::Timeout,
        Code::Closed,
        Code::FilterTooLong,
        Code::InvalidKey,
        Code::InvalidAddress,
        Code::InvalidCertificate,
    ];

    /// The code with this number, if it is one.
    pub fn from_i32(code: i32) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| *c as i32 == code)
    }
}

/// The text of any status or REQ code as the library writes it: `"Success."` for 0, the
/// reference's message for a status code (10002 and up) or a REQ code (1..8, 100..107);
/// `None` for a number that is neither.
pub fn code_text(code: i32) -> Option<&'static str> {
    if code == 0 {
        return Some("Success.");
    }
    Code::from_i32(code)
        .map(Code::text)
        .or_else(|| req::message(code))
}

/// A failure: its code and a human-readable detail text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The status code.
    pub code: Code,
    /// What exactly went wrong (which endpoint, which frame, the libzmq errno text).
    pub detail: String,
}

impl Error {
    /// An error with a detail text.
    pub fn new(code: Code, detail: impl Into<String>) -> Error {
        Error {
            code,
            detail: detail.into(),
        }
    }

    /// `INVALID_ARG` with a detail text.
    pub fn invalid_arg(detail: impl Into<String>) -> Error {
        Error::new(Code::InvalidArg, detail)
    }

    /// A failing libzmq call: `INVALID_ARG` with the call, errno and libzmq's text.
    pub fn zmq(call: &str, err: zmq::Error) -> Error {
        Error::new(
            Code::InvalidArg,
            format!(
                "The zmq library call {} failed with errno={} and msg=\"{}\"",
                call,
                err.to_raw(),
                err.message()
            ),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code.text(),
            self.code as i32,
            self.detail
        )
    }
}

impl std::error::Error for Error {}

/// Result type of the core.
pub type Result<T> = std::result::Result<T, Error>;

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Record the detail text of the calling thread's last failure.
pub fn set_last_error(text: &str) {
    LAST_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        e.clear();
        e.push_str(text);
    });
}

/// The calling thread's last failure text (empty when none).
pub fn last_error() -> String {
    LAST_ERROR.with(|e| e.borrow().clone())
}

/// The protocol's request status codes, as they appear in reply JSON (SPEC 4.2).
pub mod req {
    /// Success.
    pub const SUCCESS: i32 = 0;
    /// Unknown error (never produced).
    pub const UNKNOWN_ERROR: i32 = 1;
    /// The payload is not valid JSON.
    pub const INVALID_JSON_OBJECT: i32 = 3;
    /// `version` missing or not the integer 1.
    pub const INVALID_VERSION: i32 = 4;
    /// `CallFunction` missing or not an object.
    pub const INVALID_OPERATION: i32 = 5;
    /// `CallFunction` has the wrong keys.
    pub const INVALID_OPERATION_FORMAT: i32 = 6;
    /// `messageID` is not a string of 1..255 bytes.
    pub const INVALID_MESSAGEID: i32 = 7;
    /// Out of memory.
    pub const OUT_OF_MEMORY: i32 = 8;
    /// The host's procedures are not compiled.
    pub const PROC_NOT_COMPILED: i32 = 100;
    /// The function does not exist.
    pub const NON_EXISTING_FUNCTION: i32 = 101;
    /// Too few parameters.
    pub const TOO_FEW_FUNCTION_PARAMS: i32 = 102;
    /// Too many parameters.
    pub const TOO_MANY_FUNCTION_PARAMS: i32 = 103;
    /// The function's signature is not supported.
    pub const UNSUPPORTED_FUNC_SIG: i32 = 104;
    /// The function's return type is not supported.
    pub const UNSUPPORTED_FUNC_RET: i32 = 105;
    /// `params` is not an array, or a parameter is invalid.
    pub const INVALID_PARAM_FORMAT: i32 = 106;
    /// The function was aborted.
    pub const FUNCTION_ABORTED: i32 = 107;

    /// The reply's `msg` text for a code; `None` for success and unknown codes.
    pub fn message(code: i32) -> Option<&'static str> {
        Some(match code {
            UNKNOWN_ERROR => "Unknown error in request interface.",
            INVALID_JSON_OBJECT => "The string is not a valid json object.",
            INVALID_VERSION => "Request interface version is missing or invalid.",
            INVALID_OPERATION => "Unknown operation type.",
            INVALID_OPERATION_FORMAT => "Invalid operation format.",
            INVALID_MESSAGEID => "Invalid optional messageID.",
            OUT_OF_MEMORY => "Request cancelled due to Out Of Memory condition.",
            PROC_NOT_COMPILED => "Procedures are not compiled.",
            NON_EXISTING_FUNCTION => "CallFunction: Unknown function.",
            TOO_FEW_FUNCTION_PARAMS => "CallFunction: Too few parameters.",
            TOO_MANY_FUNCTION_PARAMS => "CallFunction: Too many parameters.",
            UNSUPPORTED_FUNC_SIG => "CallFunction: Unsupported function signature.",
            UNSUPPORTED_FUNC_RET => "CallFunction: Unsupported function return type.",
            INVALID_PARAM_FORMAT => "CallFunction: Parameter is not an array or otherwise invalid.",
            FUNCTION_ABORTED => {
                "CallFunction: The function was partially executed but aborted at some point."
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_text_and_round_trips() {
        for c in Code::ALL {
            assert_eq!(Code::from_i32(*c as i32), Some(*c));
            assert_eq!(code_text(*c as i32), Some(c.text()));
        }
        assert_eq!(code_text(0), Some("Success."));
        assert_eq!(code_text(req::NON_EXISTING_FUNCTION), req::message(101));
        assert_eq!(code_text(10008), None);
        assert_eq!(code_text(2), None);
        assert_eq!(code_text(-1), None);
    }
}
