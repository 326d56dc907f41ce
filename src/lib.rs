//! skillbridge: job demands, the training menu and trainees' cases for an
//! employment center, behind a keyboard-driven terminal front end.

pub mod app;
pub mod bytes;
pub mod demo;
pub mod domain;
pub mod figures;
pub mod i18n;
pub mod io;
pub mod keymap;
pub mod kiosk;
pub mod pack;
pub mod paths;
pub mod rng;
pub mod say;
pub mod search;
pub mod server;
pub mod service;
pub mod stats;
pub mod store;
pub mod suggest;
pub mod term;
pub mod tui;
pub mod ui;
pub mod widgets;
pub mod worker;
