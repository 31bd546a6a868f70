//! What `#[derive(Poolable)]` does with secrets: `zeroize` on reset, and
//! `wipe` before the pool drops a value, nested structs included.

use pool_runtime::Poolable;

#[derive(Poolable, Default)]
struct Secret {
    #[pool(zeroize)]
    key: Vec<u8>,
    #[pool(zeroize)]
    password: String,
    #[pool(zeroize)]
    nonce: [u8; 4],
    #[pool(zeroize)]
    counter: u64,
}

#[test]
fn zeroize_wipes_the_bytes_then_clears_keeping_capacity() {
    let mut s = Secret {
        key: b"top secret".to_vec(),
        password: "hunter2".into(),
        nonce: [1, 2, 3, 4],
        counter: 99,
    };
    let key_capacity = s.key.capacity();
    s.reset();
    assert!(s.key.is_empty() && s.password.is_empty());
    assert_eq!(s.key.capacity(), key_capacity);
    assert_eq!((s.nonce, s.counter), ([0; 4], 0));
    // The old bytes are gone from the buffer that stays in the pool.
    assert_eq!(spare_after_zeroize(&mut s.key), vec![0; key_capacity]);
}

/// The spare capacity of a vector that `zeroize` went over.
fn spare_after_zeroize(v: &mut Vec<u8>) -> Vec<u8> {
    v.spare_capacity_mut()
        .iter()
        // SAFETY: only called after `zeroize`, which wrote zeroes over the
        // whole spare capacity, so every byte of it is initialised.
        .map(|byte| unsafe { byte.assume_init() })
        .collect()
}

#[derive(Poolable, Default)]
struct Credentials {
    #[pool(zeroize)]
    token: Vec<u8>,
    user: String,
}

#[derive(Poolable, Default)]
struct Connection {
    #[pool(zeroize)]
    key: Vec<u8>,
    #[pool(zeroize)]
    password: String,
    creds: Credentials,
    boxed: Box<Credentials>,
    #[pool(skip)]
    skipped_secret: Vec<u8>,
    #[pool(reset_with = Vec::clear)]
    scratch: Vec<u8>,
    peer: String,
}

#[test]
fn wipe_zeroizes_secrets_and_reaches_nested_structs_but_resets_nothing_else() {
    let mut c = Connection {
        key: b"session key".to_vec(),
        password: "hunter2".into(),
        creds: Credentials {
            token: b"bearer abc".to_vec(),
            user: "alice".into(),
        },
        boxed: Box::new(Credentials {
            token: b"refresh xyz".to_vec(),
            user: "bob".into(),
        }),
        skipped_secret: b"left alone".to_vec(),
        scratch: vec![1, 2, 3],
        peer: "10.0.0.1".into(),
    };
    let capacities = [
        c.key.capacity(),
        c.creds.token.capacity(),
        c.boxed.token.capacity(),
    ];

    c.wipe();

    // The secrets, this struct's and the nested ones' (through a field and
    // through a `Box`), are gone, their buffers zeroed and kept.
    assert!(c.password.is_empty());
    let buffers = [&mut c.key, &mut c.creds.token, &mut c.boxed.token];
    for (buffer, capacity) in buffers.into_iter().zip(capacities) {
        assert!(buffer.is_empty());
        assert_eq!(buffer.capacity(), capacity);
        assert_eq!(spare_after_zeroize(buffer), vec![0; capacity]);
    }
    // `wipe` is no reset: the rest is as it was, and `skip` and
    // `reset_with` fields are left alone.
    assert_eq!((&*c.creds.user, &*c.boxed.user), ("alice", "bob"));
    assert_eq!(c.skipped_secret, b"left alone");
    assert_eq!(c.scratch, [1, 2, 3]);
    assert_eq!(c.peer, "10.0.0.1");
}
