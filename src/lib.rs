//! zeromq-xop: ZeroMQ messaging for scientific host programs (Igor Pro, MATLAB/Octave and any
//! C or C++ program), exposed through a C ABI.
//!
//! Remote clients call the host's functions with a JSON "CallFunction" message and receive
//! numbers, strings and n-dimensional arrays back; the host publishes events and data frames to
//! subscribers. The core modules below are plain safe Rust; [`ffi`] is the only place with
//! `extern "C"` functions, and `include/zeromq_xop.h` is generated from it.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

/// cbindgen:ignore
pub mod access;
/// cbindgen:ignore
pub mod binary_reply;
/// cbindgen:ignore
pub mod error;
pub mod ffi;
/// cbindgen:ignore
pub mod handler;
/// cbindgen:ignore
pub mod heartbeat;
/// cbindgen:ignore
pub mod host_queue;
/// cbindgen:ignore
pub mod igor;
/// cbindgen:ignore
pub mod json;
/// cbindgen:ignore
pub mod json_writer;
/// cbindgen:ignore
pub mod logging;
/// cbindgen:ignore
pub mod manager;
/// cbindgen:ignore
pub mod numbers;
/// cbindgen:ignore
pub mod protocol;
/// cbindgen:ignore
pub mod reply;
/// cbindgen:ignore
pub mod role;
/// cbindgen:ignore
pub mod roles;
/// cbindgen:ignore
pub mod security;
/// cbindgen:ignore
pub mod services;
/// cbindgen:ignore
pub mod settings;
/// cbindgen:ignore
pub mod socket;
/// cbindgen:ignore
pub mod wave;
/// cbindgen:ignore
pub mod wave_params;
/// cbindgen:ignore
pub mod wave_read;
