//! Turns: workers read and parse items in parallel, yet hand them to the writer in the order
//! they were listed (see [`super`]: with files listed by key, each segment then holds its
//! documents in path order).

use std::collections::BTreeSet;
use std::sync::{Condvar, Mutex};

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
    use std::sync::Arc;
    use std::time::Duration;

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
