//! The subscriber's filters: byte-exact, each set once, recorded so that `zeromq_stop` and the
//! empty filter can remove them all.

use super::{Role, Roles, MAX_FILTER_LENGTH};
use crate::error::{Code, Error, Result};

impl Roles {
    /// Subscribe to a filter (byte-exact; empty means everything).
    pub fn sub_add_filter(&self, filter: &[u8]) -> Result<()> {
        if filter.len() > MAX_FILTER_LENGTH {
            return Err(Error::new(
                Code::FilterTooLong,
                format!(
                    "The filter is {} bytes long; at most {MAX_FILTER_LENGTH} are allowed.",
                    filter.len()
                ),
            ));
        }
        let mut filters = self.slot(Role::Subscriber).filters.lock();
        if filters.iter().any(|f| f == filter) {
            return Err(Error::new(
                Code::MessageFilterDuplicated,
                format!(
                    "The filter \"{}\" exists already.",
                    String::from_utf8_lossy(filter)
                ),
            ));
        }
        self.with_socket(Role::Subscriber, |s, _| {
            s.set_subscribe(filter)
                .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_SUBSCRIBE)", e))
        })?;
        filters.push(filter.to_vec());
        Ok(())
    }

    /// Unsubscribe a filter; the empty filter removes every filter.
    pub fn sub_remove_filter(&self, filter: &[u8]) -> Result<()> {
        let mut filters = self.slot(Role::Subscriber).filters.lock();
        if filter.is_empty() {
            return self.with_socket(Role::Subscriber, |s, _| {
                for f in filters.drain(..) {
                    s.set_unsubscribe(&f)
                        .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_UNSUBSCRIBE)", e))?;
                }
                Ok(())
            });
        }
        let Some(pos) = filters.iter().position(|f| f == filter) else {
            return Err(Error::new(
                Code::MessageFilterMissing,
                format!(
                    "The filter \"{}\" does not exist.",
                    String::from_utf8_lossy(filter)
                ),
            ));
        };
        self.with_socket(Role::Subscriber, |s, _| {
            s.set_unsubscribe(filter)
                .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_UNSUBSCRIBE)", e))
        })?;
        filters.remove(pos);
        Ok(())
    }

    /// The current filter list.
    pub fn filters(&self) -> Vec<Vec<u8>> {
        self.slot(Role::Subscriber).filters.lock().clone()
    }
}
