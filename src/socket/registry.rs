//! Socket ids: numbers > 0, never reused within the process, naming generic sockets and (for
//! polling) the role sockets. A stale id is `Code::Closed`, never undefined behaviour. The
//! registry's lock is held only to look an id up, never while a socket is used.

use super::GenericSocket;
use crate::error::{Code, Error, Result};
use crate::role::Role;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What an id names.
#[derive(Clone)]
pub enum Entry {
    /// A generic socket.
    Socket(Arc<GenericSocket>),
    /// A role socket, the one with this serial number (a new role socket gets a new id).
    Role(Role, u64),
}

/// The ids of open sockets.
pub struct Registry {
    /// Tells registries apart in the threads' memory of their last lookup.
    serial: u64,
    next: AtomicU64,
    map: Mutex<HashMap<u64, Entry>>,
}

impl Default for Registry {
    fn default() -> Self {
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        Registry {
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            next: AtomicU64::new(1),
            map: Mutex::new(HashMap::new()),
        }
    }
}

thread_local! {
    /// The last generic socket this thread looked up: (registry serial, id, socket).
    static LAST: std::cell::RefCell<Option<(u64, u64, Arc<GenericSocket>)>> =
        const { std::cell::RefCell::new(None) };
}

fn stale(id: u64) -> Error {
    Error::new(
        Code::Closed,
        format!("The socket id {id} was closed or never existed."),
    )
}

impl Registry {
    fn new_id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// Register a socket; returns its new id.
    pub fn insert(&self, sock: GenericSocket) -> u64 {
        let id = self.new_id();
        self.map.lock().insert(id, Entry::Socket(Arc::new(sock)));
        id
    }

    /// What `id` names.
    pub fn entry(&self, id: u64) -> Result<Entry> {
        self.map.lock().get(&id).cloned().ok_or_else(|| stale(id))
    }

    /// The generic socket `id`. The calling thread remembers the last socket it looked up,
    /// so a thread sending or receiving on one socket does not contend for the registry's
    /// lock with other threads: ids are never reused, so a remembered id names the same
    /// socket for ever, and a closed one refuses every operation (`Code::Closed`) itself.
    pub fn socket(&self, id: u64) -> Result<Arc<GenericSocket>> {
        let registry = self.serial;
        if let Some(s) = LAST.with(|l| match &*l.borrow() {
            Some((r, i, s)) if *r == registry && *i == id => Some(Arc::clone(s)),
            _ => None,
        }) {
            return Ok(s);
        }
        let s = self.lookup(id)?;
        LAST.with(|l| *l.borrow_mut() = Some((registry, id, Arc::clone(&s))));
        Ok(s)
    }

    fn lookup(&self, id: u64) -> Result<Arc<GenericSocket>> {
        match self.entry(id)? {
            Entry::Socket(s) => Ok(s),
            Entry::Role(role, _) => Err(Error::invalid_arg(format!(
                "The socket id {id} names the {role:?} role socket: use it for polling; the \
                 role functions send and receive on it."
            ))),
        }
    }

    /// Remove generic socket `id` from the registry and close it.
    pub fn close(&self, id: u64) -> Result<()> {
        let removed = {
            let mut map = self.map.lock();
            match map.get(&id) {
                Some(Entry::Socket(_)) => map.remove(&id),
                Some(Entry::Role(..)) => None,
                None => return Err(stale(id)),
            }
        };
        match removed {
            Some(Entry::Socket(s)) => s.close(),
            _ => Err(Error::invalid_arg(format!(
                "The socket id {id} names a role socket: zeromq_stop closes role sockets."
            ))),
        }
    }

    /// The id of the role socket with serial number `serial` (a new one the first time; ids
    /// of the role's earlier sockets become stale).
    pub fn role_id(&self, role: Role, serial: u64) -> u64 {
        let mut map = self.map.lock();
        let mut found = None;
        map.retain(|id, e| match e {
            Entry::Role(r, s) if *r == role => {
                if *s == serial {
                    found = Some(*id);
                    true
                } else {
                    false
                }
            }
            _ => true,
        });
        if let Some(id) = found {
            return id;
        }
        let id = self.new_id();
        map.insert(id, Entry::Role(role, serial));
        id
    }

    /// Forget an id of a role socket that no longer exists.
    pub fn forget(&self, id: u64) {
        let mut map = self.map.lock();
        if matches!(map.get(&id), Some(Entry::Role(..))) {
            map.remove(&id);
        }
    }

    /// Close every generic socket without keeping pending output (library shutdown), so the
    /// context can terminate. Returns how many were closed.
    pub fn close_all(&self) -> usize {
        let all: Vec<Entry> = self.map.lock().drain().map(|(_, e)| e).collect();
        let mut n = 0;
        for e in all {
            if let Entry::Socket(s) = e {
                s.close_now();
                n += 1;
            }
        }
        n
    }

    /// Number of open generic sockets.
    pub fn open_sockets(&self) -> usize {
        self.map
            .lock()
            .values()
            .filter(|e| matches!(e, Entry::Socket(_)))
            .count()
    }
}
