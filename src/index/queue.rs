//! The hand-off between ingest workers and tantivy's indexing threads: documents that carry a
//! ticket, so the workers never queue more than a bounded amount of text ahead of the writer.
//!
//! Each file's passages go to the writer as one batch (one segment, in paragraph order; a
//! file with over 4 MB of text in several).
//! tantivy's queue counts batches, not bytes, so without a bound fast readers would pile up
//! thousands of parsed files in memory. The last document of a batch
//! ([`super::document::PassageDoc`]) holds a [`Ticket`] for the batch's bytes; the writer drops
//! each document once it has indexed it, which returns the ticket.
//!
//! Items also reach the writer in the order they were listed ([`Turns`]), whichever worker
//! parsed them first: with files listed by path, each segment then holds its documents in path
//! order, which lets search order equal scores without reading paths.

use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex};

/// Bytes of passage text allowed to wait in the writer's queue at once.
pub const DEFAULT_LIMIT: u64 = 4 << 20;

/// Counts the text bytes handed to the writer and not yet taken.
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

/// Lets workers hand over numbered items in order: an item may go to the writer once every
/// item before it is finished (handed over whole, or found to have nothing to hand over).
/// Items with nothing to hand over never wait.
#[derive(Debug, Default)]
pub struct Turns {
    state: Mutex<TurnState>,
    moved: Condvar,
}

#[derive(Debug, Default)]
struct TurnState {
    /// Every item before this one is finished.
    next: usize,
    /// Items after `next` finished early.
    early: BTreeSet<usize>,
    /// Workers waiting for their turn.
    waiting: usize,
}

impl Turns {
    /// Turns starting at item 0.
    pub fn new() -> Turns {
        Turns::default()
    }

    /// Waits until every item before `item` is finished.
    pub fn wait_for(&self, item: usize) {
        let mut state = self.lock();
        while state.next < item {
            state.waiting += 1;
            state = self
                .moved
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state.waiting -= 1;
        }
    }

    /// Marks `item` finished when the returned guard is dropped (also on an error or a panic,
    /// so no worker waits for ever).
    pub fn finishing(&self, item: usize) -> Finish<'_> {
        Finish { turns: self, item }
    }

    fn finish(&self, item: usize) {
        let mut state = self.lock();
        if item != state.next {
            state.early.insert(item);
            return;
        }
        state.next += 1;
        loop {
            let next = state.next;
            if !state.early.remove(&next) {
                break;
            }
            state.next += 1;
        }
        if state.waiting > 0 {
            self.moved.notify_all();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TurnState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Marks an item finished when dropped (see [`Turns::finishing`]).
#[derive(Debug)]
pub struct Finish<'a> {
    turns: &'a Turns,
    item: usize,
}

impl Finish<'_> {
    /// The item this guard finishes.
    pub fn item(&self) -> usize {
        self.item
    }
}

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.turns.finish(self.item);
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

    #[test]
    fn items_go_in_order_whichever_finishes_first() {
        let turns = Arc::new(Turns::new());
        let order = Arc::new(Mutex::new(Vec::new()));
        // Item 2 is ready first and must wait for 0 and 1; item 1 has nothing to hand over.
        let late = {
            let (turns, order) = (turns.clone(), order.clone());
            std::thread::spawn(move || {
                let finish = turns.finishing(2);
                turns.wait_for(finish.item());
                order.lock().unwrap().push(2);
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            order.lock().unwrap().is_empty(),
            "item 2 must wait for item 0"
        );
        drop(turns.finishing(1));
        std::thread::sleep(Duration::from_millis(20));
        assert!(
            order.lock().unwrap().is_empty(),
            "item 2 must still wait for item 0"
        );
        {
            let finish = turns.finishing(0);
            turns.wait_for(finish.item());
            order.lock().unwrap().push(0);
        }
        late.join().unwrap();
        assert_eq!(*order.lock().unwrap(), vec![0, 2]);
        // Waiting again for a finished turn does not block.
        turns.wait_for(3);
    }
}
