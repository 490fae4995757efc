//! The four socket roles of the reference (client, server, publisher, subscriber): what a
//! role id names. The role sockets themselves are in `roles/`; the generic socket layer knows
//! this enum only to name them (ids for polling).

/// The four socket roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// DEALER, connects.
    Client = 0,
    /// ROUTER, binds.
    Server = 1,
    /// PUB, binds.
    Publisher = 2,
    /// SUB, connects.
    Subscriber = 3,
}

impl Role {
    /// The role for a `ZEROMQ_ROLE_*` number.
    pub fn from_i32(v: i32) -> Option<Role> {
        Some(match v {
            0 => Role::Client,
            1 => Role::Server,
            2 => Role::Publisher,
            3 => Role::Subscriber,
            _ => return None,
        })
    }

    /// Whether the role binds (server, publisher) rather than connects.
    pub fn binds(self) -> bool {
        matches!(self, Role::Server | Role::Publisher)
    }

    /// The role's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Server => "server",
            Role::Publisher => "publisher",
            Role::Subscriber => "subscriber",
        }
    }

    /// The libzmq socket type.
    pub fn kind(self) -> i32 {
        (match self {
            Role::Client => zmq_sys::ZMQ_DEALER,
            Role::Server => zmq_sys::ZMQ_ROUTER,
            Role::Publisher => zmq_sys::ZMQ_PUB,
            Role::Subscriber => zmq_sys::ZMQ_SUB,
        }) as i32
    }
}
