//! Catalog Desk's executable: everything happens in the library so tests can reach it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    catalog_desk_lib::run();
}
