//! State widgets the workspace and the kiosk share: a text field's editing
//! and a list's cursor. Pure state, no terminal: each screen maps its own
//! keys to these operations and draws the result its own way.

pub mod cursor;
pub mod text;
