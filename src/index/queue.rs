//! The hand-off between ingest workers and tantivy's indexing threads: documents that carry a
//! ticket, so the workers never queue more than a bounded cost ahead of the writer.
//!
//! Each file's paragraphs go to the writer as one batch (one segment, in paragraph order; a big
//! file in several of about 1 MB each). tantivy's queue counts batches, not bytes, so without a
//! bound fast readers would pile up thousands of parsed files in memory. A batch costs what its
//! documents hold ([`super::document::ParagraphDoc::cost`]: their text plus a per-document
//! overhead, so millions of tiny paragraphs count for what they really take). The last document
//! of a batch holds a [`Ticket`] for the batch's cost; the writer drops each document once it
//! has indexed it, which returns the ticket.
//!
//! The order in which batches reach the writer is [`super::order`]'s (its `Turns`).

use std::sync::{Arc, Condvar, Mutex};

/// The cost (bytes) of the documents allowed to wait in the writer's queue at once.
pub const DEFAULT_LIMIT: u64 = 4 << 20;

/// Counts the cost (bytes) of the documents handed to the writer and not yet taken.
#[derive(Debug, Clone)]
pub struct Gate {
    state: Arc<(Mutex<u64>, Condvar)>,
    limit: u64,
}

impl Gate {
    /// A gate letting up to `limit` bytes wait.
    pub fn new(limit: u64) -> Gate {
        Gate {
            state: Arc::new((Mutex::new(0), Condvar::new())),
            limit,
        }
    }

    /// Waits until `bytes` more may be queued (at once when nothing is queued, so one batch
    /// larger than the limit still goes), and returns the ticket for them.
    pub fn enter(&self, bytes: u64) -> Ticket {
        let (count, ready) = &*self.state;
        let mut queued = count
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while *queued > 0 && queued.saturating_add(bytes) > self.limit {
            queued = ready
                .wait(queued)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *queued += bytes;
        Ticket {
            gate: self.clone(),
            bytes,
        }
    }

    /// Bytes queued now.
    #[cfg(test)]
    fn queued(&self) -> u64 {
        *self.state.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Bytes admitted by a [`Gate`], given back when dropped.
#[derive(Debug)]
pub struct Ticket {
    gate: Gate,
    bytes: u64,
}

impl Drop for Ticket {
    /// Returns the bytes; waiting workers are woken only once the queue is down to half the
    /// limit (or empty), not at every batch.
    fn drop(&mut self) {
        let (count, ready) = &*self.gate.state;
        let mut queued = count
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *queued = queued.saturating_sub(self.bytes);
        if *queued <= self.gate.limit / 2 {
            ready.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_ticket_gives_its_bytes_back_and_a_batch_over_the_limit_goes_alone() {
        let gate = Gate::new(100);
        let ticket = gate.enter(60);
        assert_eq!(gate.queued(), 60);
        drop(ticket);
        assert_eq!(gate.queued(), 0);
        let big = gate.enter(1_000);
        assert_eq!(gate.queued(), 1_000);
        drop(big);
        assert_eq!(gate.queued(), 0);
    }

    #[test]
    fn entering_waits_until_enough_is_taken() {
        let gate = Gate::new(100);
        let first = gate.enter(80);
        let waiter = {
            let gate = gate.clone();
            std::thread::spawn(move || {
                let _second = gate.enter(50);
                gate.queued()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(gate.queued(), 80, "the second batch must wait");
        drop(first);
        assert_eq!(waiter.join().ok(), Some(50));
    }
}
