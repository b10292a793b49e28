//! Helpers for the golden tests (reference corpus location, .npy and sidecar readers).
