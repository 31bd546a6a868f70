//! Unit tests of the runtime's unsafe paths (run under miri too).
