use pool_runtime::Poolable;

#[derive(Default)]
struct Cursor {
    pos: usize,
}

impl Poolable for Cursor {
    fn reset(&mut self) {
        self.pos = 0;
    }
}

#[derive(Poolable, Default)]
#[pool(audit)]
struct Parser {
    input: Vec<u8>,
    cursor: Cursor,
}

fn main() {}
