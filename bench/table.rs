//! The result table: one row per figure, with the baseline, the ratio and the goal.

/// How a row's ratio is judged.
#[derive(Clone, Copy)]
pub(crate) enum Goal {
    /// Informational (no goal).
    None,
    /// ratio <= x
    AtMost(f64),
    /// ratio >= x
    AtLeast(f64),
    /// our figure < x (an absolute limit)
    Below(f64),
    /// our figure <= baseline + x (no growth, with a tolerance)
    NoGrowth(f64),
}

pub(crate) struct Row {
    pub(crate) id: &'static str,
    pub(crate) what: String,
    pub(crate) unit: &'static str,
    pub(crate) ours: f64,
    pub(crate) base: Option<f64>,
    pub(crate) goal: Goal,
    pub(crate) goal_text: String,
    pub(crate) note: String,
}

impl Row {
    /// A throughput measurement as two rows, messages per second and payload bytes per
    /// second (`size` bytes a message), both judged against the baseline with ratio >= `goal`.
    pub(crate) fn throughput_pair(
        ids: [&'static str; 2],
        what: [String; 2],
        (ours, base, size): (f64, f64, usize),
        goal: f64,
        note: String,
    ) -> [Row; 2] {
        let mb = size as f64 / 1e6;
        let [msgs, bytes] = what;
        [
            Row {
                id: ids[0],
                what: msgs,
                unit: "msgs/s",
                ours,
                base: Some(base),
                goal: Goal::AtLeast(goal),
                goal_text: format!("ratio ≥ {goal:.2}"),
                note,
            },
            Row {
                id: ids[1],
                what: bytes,
                unit: "MB/s",
                ours: ours * mb,
                base: Some(base * mb),
                goal: Goal::AtLeast(goal),
                goal_text: format!("ratio ≥ {goal:.2}"),
                note: String::new(),
            },
        ]
    }

    fn ratio(&self) -> Option<f64> {
        let b = self.base?;
        if b == 0.0 {
            return if self.ours == 0.0 { Some(1.0) } else { None };
        }
        Some(self.ours / b)
    }

    fn status(&self) -> &'static str {
        let ok = match (self.goal, self.ratio()) {
            (Goal::None, _) => return "info",
            (Goal::Below(x), _) => self.ours < x,
            (Goal::NoGrowth(tol), _) => match self.base {
                Some(b) => self.ours <= b + tol,
                None => return "n/a",
            },
            (_, None) => return "n/a",
            (Goal::AtMost(x), Some(r)) => r <= x,
            (Goal::AtLeast(x), Some(r)) => r >= x,
        };
        if ok {
            "met"
        } else {
            "missed"
        }
    }
}

/// A number with about four significant digits, no separators (parseable).
pub(crate) fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 10.0 {
        format!("{v:.2}")
    } else if a >= 1.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.4}")
    }
}

pub(crate) fn print_table(rows: &[Row]) {
    println!("| row | measurement | unit | zeromq-xop | baseline | ratio | goal | status |");
    println!("|-----|-------------|------|-----------:|---------:|------:|------|--------|");
    for r in rows {
        let base = r
            .base
            .map_or_else(|| "baseline unavailable".to_string(), num);
        let ratio = r.ratio().map_or_else(
            || "-".to_string(),
            |x| {
                if x < 0.1 {
                    format!("{x:.4}")
                } else {
                    format!("{x:.2}")
                }
            },
        );
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            r.unit,
            num(r.ours),
            base,
            ratio,
            r.goal_text,
            r.status()
        );
    }
    let notes: Vec<&Row> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    if !notes.is_empty() {
        println!();
        for r in notes {
            println!("- {}: {}", r.id, r.note);
        }
    }
}
