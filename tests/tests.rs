//! Integration tests: the `stancemap` binary on real inputs, and the bundled model.

mod bad_input;
mod cli;
mod determinism;
mod golden;
mod hostile;
mod model;
mod properties;
mod scale;
mod splitter;
mod util;
