//! The progress bar (indicatif, on stderr) and message printing for `analyze`.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Messages after this many are counted, not printed (errors.csv has them all).
const MAX_MESSAGES: usize = 20;

/// Prints skipped-document messages and drives the progress bar.
pub struct Reporter {
    #[cfg(feature = "progress")]
    bar: Option<indicatif::ProgressBar>,
    messages: AtomicUsize,
}

impl Reporter {
    /// A reporter; the bar is drawn only when `show_bar`.
    pub fn new(show_bar: bool) -> Self {
        #[cfg(not(feature = "progress"))]
        let _ = show_bar;
        Reporter {
            #[cfg(feature = "progress")]
            bar: show_bar.then(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(5));
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {elapsed_precise} {pos} documents, {msg}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                bar
            }),
            messages: AtomicUsize::new(0),
        }
    }

    /// Clears the bar at the end of a successful run.
    pub fn finish(&self) {
        #[cfg(feature = "progress")]
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let n = self.messages.load(Ordering::Relaxed);
        if n > MAX_MESSAGES {
            eprintln!(
                "stancemap: {} more messages not shown (see errors.csv and run.json)",
                n - MAX_MESSAGES
            );
        }
    }
}

impl stancemap::Observer for Reporter {
    fn start(&self, documents: Option<usize>) {
        #[cfg(feature = "progress")]
        if let (Some(bar), Some(total)) = (&self.bar, documents) {
            // With a known total the spinner becomes a bar with an ETA.
            bar.set_length(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} documents, {msg}, ETA {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
        #[cfg(not(feature = "progress"))]
        let _ = documents;
    }

    fn progress(&self, documents: usize, statements: usize) {
        #[cfg(feature = "progress")]
        if let Some(bar) = &self.bar {
            bar.set_position(documents as u64);
            let secs = bar.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{statements} statements ({:.0}/s)",
                statements as f64 / secs
            ));
        }
        #[cfg(not(feature = "progress"))]
        let _ = (documents, statements);
    }

    fn message(&self, msg: &str) {
        if self.messages.fetch_add(1, Ordering::Relaxed) < MAX_MESSAGES {
            #[cfg(feature = "progress")]
            if let Some(bar) = &self.bar {
                bar.suspend(|| eprintln!("stancemap: {msg}"));
                return;
            }
            eprintln!("stancemap: {msg}");
        }
    }
}
