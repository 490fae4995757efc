//! Rows 1 and 2: CallFunction round trips, one at a time and 64 in flight.

use crate::host::*;
use crate::table::*;
use crate::{Sizes, WINDOW};

pub(crate) fn round_trips(setup: &Setup, sizes: Sizes) -> Result<Vec<Row>, String> {
    eprintln!("row 1: round trips ...");
    let mut lat: Vec<Vec<f64>> = vec![Vec::new(); 4];
    let mut scratch = Vec::new();
    for (i, c) in setup.clients.iter().enumerate() {
        latencies(c, sizes.rt_warmup, &mut scratch)
            .map_err(|e| format!("{} (warm-up): {e}", CLIENT_NAMES[i]))?;
    }
    // Interleave the four cases round by round so that a disturbance hits all of them alike.
    for _ in 0..sizes.rt_rounds {
        for (i, c) in setup.clients.iter().enumerate() {
            latencies(c, sizes.rt_calls, &mut lat[i])
                .map_err(|e| format!("{}: {e}", CLIENT_NAMES[i]))?;
        }
    }
    for l in &mut lat {
        l.sort_by(|a, b| a.total_cmp(b));
    }
    let n = lat[0].len();
    let mut rows = Vec::new();
    for (t, name, ours, raw) in [(0, "tcp", 0, 2), (1, "ipc", 1, 3)] {
        let ids = if t == 0 { ["1a", "1b"] } else { ["1c", "1d"] };
        rows.push(Row {
            id: ids[0],
            what: format!("CallFunction round trip, {name} loopback, p50 ({n} calls) vs raw DEALER/ROUTER echo"),
            unit: "µs",
            ours: percentile(&lat[ours], 0.5),
            base: Some(percentile(&lat[raw], 0.5)),
            goal: Goal::AtMost(1.3),
            goal_text: "ratio ≤ 1.30".into(),
            note: String::new(),
        });
        rows.push(Row {
            id: ids[1],
            what: format!("CallFunction round trip, {name} loopback, p99 vs raw echo"),
            unit: "µs",
            ours: percentile(&lat[ours], 0.99),
            base: Some(percentile(&lat[raw], 0.99)),
            goal: Goal::None,
            goal_text: "-".into(),
            note: String::new(),
        });
    }
    Ok(rows)
}

pub(crate) fn pipelined(setup: &Setup, sizes: Sizes) -> Result<Vec<Row>, String> {
    eprintln!("row 2: pipelined calls ...");
    for (i, c) in setup.clients.iter().enumerate() {
        pipeline(c, sizes.pipe_calls / 4)
            .map_err(|e| format!("{} (warm-up): {e}", CLIENT_NAMES[i]))?;
    }
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); 4];
    for _ in 0..sizes.pipe_rounds {
        for (i, c) in setup.clients.iter().enumerate() {
            rates[i].push(
                pipeline(c, sizes.pipe_calls).map_err(|e| format!("{}: {e}", CLIENT_NAMES[i]))?,
            );
        }
    }
    let mut rows = Vec::new();
    for (id, name, ours, raw) in [("2a", "tcp", 0, 2), ("2b", "ipc", 1, 3)] {
        rows.push(Row {
            id,
            what: format!(
                "Pipelined calls, {WINDOW} in flight, {name} (median of {} runs of {}) vs raw echo",
                sizes.pipe_rounds, sizes.pipe_calls
            ),
            unit: "calls/s",
            ours: median(&rates[ours]),
            base: Some(median(&rates[raw])),
            goal: Goal::AtLeast(0.8),
            goal_text: "ratio ≥ 0.80".into(),
            note: String::new(),
        });
    }
    Ok(rows)
}
