//! skillbridge: job demands, the training menu and trainees' cases for an
//! employment center, behind a keyboard-driven terminal front end.

pub mod demo;
pub mod domain;
pub mod paths;
pub mod stats;
pub mod store;
pub mod torture;
