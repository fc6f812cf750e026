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
//!
//! A writer whose indexing threads died (a full disk) never takes the documents left in its
//! queue, so their tickets never come back: a worker waiting at the gate asks, every
//! [`PROBE_EVERY`], whether the writer is still alive, and stops waiting when it is not.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How often a worker waiting at the gate asks whether the writer is still alive.
pub const PROBE_EVERY: Duration = Duration::from_secs(1);

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
    /// larger than the limit still goes), and returns the ticket for them; `None` when, while
    /// waiting, `alive` says the writer is not (its queue will never be taken).
    pub fn enter(&self, bytes: u64, alive: impl Fn() -> bool) -> Option<Ticket> {
        let (count, ready) = &*self.state;
        loop {
            let mut queued = count
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let full = |queued: u64| queued > 0 && queued.saturating_add(bytes) > self.limit;
            while full(*queued) {
                let (now, waited) = ready
                    .wait_timeout(queued, PROBE_EVERY)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                queued = now;
                if waited.timed_out() {
                    break;
                }
            }
            if !full(*queued) {
                *queued += bytes;
                return Some(Ticket {
                    gate: self.clone(),
                    bytes,
                });
            }
            // Asked without the lock, which the writer's thread needs to give tickets back.
            drop(queued);
            if !alive() {
                return None;
            }
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
        let ticket = gate.enter(60, || true).unwrap();
        assert_eq!(gate.queued(), 60);
        drop(ticket);
        assert_eq!(gate.queued(), 0);
        let big = gate.enter(1_000, || true).unwrap();
        assert_eq!(gate.queued(), 1_000);
        drop(big);
        assert_eq!(gate.queued(), 0);
    }

    #[test]
    fn entering_waits_until_enough_is_taken() {
        let gate = Gate::new(100);
        let first = gate.enter(80, || true).unwrap();
        let waiter = {
            let gate = gate.clone();
            std::thread::spawn(move || {
                let _second = gate.enter(50, || true);
                gate.queued()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(gate.queued(), 80, "the second batch must wait");
        drop(first);
        assert_eq!(waiter.join().ok(), Some(50));
    }

    #[test]
    fn waiting_stops_when_the_writer_is_dead() {
        let gate = Gate::new(100);
        let _left_in_a_dead_queue = gate.enter(80, || true).unwrap();
        let started = std::time::Instant::now();
        assert!(gate.enter(50, || false).is_none());
        assert!(started.elapsed() >= PROBE_EVERY);
        assert_eq!(gate.queued(), 80);
    }
}
