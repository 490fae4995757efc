use crate::common::{frames_of, new_wave, within};
use crate::{one_byte, serial, INVALID};
use std::ffi::{c_char, c_void};
use std::ptr::{null, null_mut};
use std::time::Duration;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::wave::*;

#[test]
fn wave_builder_abuse() {
    let _g = serial();
    within(Duration::from_secs(60), "wave abuse", || unsafe {
        let mut w: *mut zeromq_wave = null_mut();
        let d = [3u64, 2];
        // Creation: bad types, dimension counts, sizes and pointers.
        assert_eq!(
            zeromq_wave_new(ZEROMQ_NT_FP64, d.as_ptr(), 2, null_mut()),
            INVALID
        );
        assert_eq!(zeromq_wave_new(ZEROMQ_NT_FP64, null(), 1, &mut w), INVALID);
        for n in [0, 5, usize::MAX] {
            assert_eq!(
                zeromq_wave_new(ZEROMQ_NT_FP64, d.as_ptr(), n, &mut w),
                INVALID,
                "ndims {n}"
            );
        }
        for t in [
            -1,
            1,
            0x41,
            0x200,
            0x4001,
            i32::MIN,
            i32::MAX,
            ZEROMQ_NT_FP64 | ZEROMQ_NT_UNSIGNED,
        ] {
            assert_eq!(
                zeromq_wave_new(t, d.as_ptr(), 2, &mut w),
                INVALID,
                "type {t:#x}"
            );
        }
        for dims in [
            [u64::MAX, 2, 1, 1],
            [1 << 32, 1 << 32, 1, 1],
            [u64::MAX, u64::MAX, u64::MAX, u64::MAX],
        ] {
            assert_eq!(
                zeromq_wave_new(ZEROMQ_NT_FP64 | ZEROMQ_NT_CMPLX, dims.as_ptr(), 4, &mut w),
                INVALID,
                "{dims:?}"
            );
        }
        assert!(w.is_null(), "out written on failure");
        // A big wave is only described, never allocated up front.
        let big = new_wave(ZEROMQ_NT_I8, &[1 << 40]);
        assert_eq!(zeromq_wave_set_data(big, null(), 0), INVALID);
        zeromq_wave_free(big);

        // Setters on NULL and on the wrong kind of wave, with bad points and lengths.
        let num = new_wave(ZEROMQ_NT_FP64, &d);
        let text = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &d);
        let refs = new_wave(ZEROMQ_WAVE_TYPE, &[2]);
        let dfr = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[2]);
        let data = [0.5f64; 6];
        let p = data.as_ptr() as *const c_void;
        assert_eq!(zeromq_wave_set_data(null_mut(), p, 48), INVALID);
        assert_eq!(zeromq_wave_set_data(num, null(), 48), INVALID);
        for n in [0, 47, 49, 96, usize::MAX] {
            assert_eq!(zeromq_wave_set_data(num, p, n), INVALID, "{n} bytes");
        }
        assert_eq!(zeromq_wave_set_data(num, p, 48), 0);
        assert_eq!(zeromq_wave_set_data(text, p, 48), INVALID);
        let s = b"abc".as_ptr() as *const c_char;
        for point in [6, 7, usize::MAX] {
            assert_eq!(zeromq_wave_set_text(text, point, s, 3), INVALID);
            assert_eq!(zeromq_wave_set_dfref(dfr, point, s, 3), INVALID);
            assert_eq!(zeromq_wave_set_wave(refs, point, null_mut()), INVALID);
        }
        assert_eq!(zeromq_wave_set_text(null_mut(), 0, s, 3), INVALID);
        assert_eq!(zeromq_wave_set_text(text, 0, null(), 3), INVALID);
        assert_eq!(zeromq_wave_set_text(text, 0, s, usize::MAX), INVALID);
        assert_eq!(zeromq_wave_set_text(num, 0, s, 3), INVALID);
        assert_eq!(zeromq_wave_set_text(text, 5, s, 3), 0);
        assert_eq!(zeromq_wave_set_dfref(text, 0, s, 3), INVALID);
        assert_eq!(zeromq_wave_set_dfref(dfr, 1, null(), 0), 0);
        for dim in [2, 4, usize::MAX] {
            assert_eq!(
                zeromq_wave_set_scaling(num, dim, 1.0, 0.0),
                INVALID,
                "dim {dim}"
            );
            assert_eq!(zeromq_wave_set_dim_unit(num, dim, s, 3), INVALID);
            assert_eq!(zeromq_wave_set_dim_label(num, dim, -1, s, 3), INVALID);
        }
        for index in [-2, 3, i64::MIN, i64::MAX] {
            assert_eq!(
                zeromq_wave_set_dim_label(num, 0, index, s, 3),
                INVALID,
                "index {index}"
            );
        }
        assert_eq!(zeromq_wave_set_scaling(num, 1, f64::NAN, f64::INFINITY), 0);
        assert_eq!(zeromq_wave_set_scaling(null_mut(), 0, 1.0, 0.0), INVALID);
        assert_eq!(zeromq_wave_set_dim_unit(num, 0, null(), 1), INVALID);
        assert_eq!(zeromq_wave_set_data_unit(num, null(), 1), INVALID);
        assert_eq!(
            zeromq_wave_set_data_unit(num, one_byte(), usize::MAX),
            INVALID
        );
        assert_eq!(zeromq_wave_set_data_unit(null_mut(), s, 3), INVALID);
        assert_eq!(zeromq_wave_set_note(num, null(), 1), INVALID);
        assert_eq!(zeromq_wave_set_note(null_mut(), s, 3), INVALID);
        assert_eq!(
            zeromq_wave_set_note(num, b"\xff\x00\"".as_ptr() as *const c_char, 3),
            0
        );
        assert_eq!(zeromq_wave_set_full_scale(null_mut(), 1.0, 2.0), INVALID);
        assert_eq!(zeromq_wave_set_full_scale(num, f64::NAN, 2.0), 0);
        assert_eq!(zeromq_wave_set_modification(null_mut(), 0), INVALID);
        assert_eq!(zeromq_wave_set_modification(num, i64::MIN), 0);

        // Ownership: a refused child stays with the caller; a wave cannot hold itself.
        assert_eq!(zeromq_wave_set_wave(refs, 0, refs), INVALID);
        let child = new_wave(ZEROMQ_NT_I32, &[1]);
        assert_eq!(
            zeromq_wave_set_wave(num, 0, child),
            INVALID,
            "not a wave reference wave"
        );
        assert_eq!(zeromq_wave_set_wave(refs, 9, child), INVALID);
        assert_eq!(zeromq_wave_set_wave(null_mut(), 0, child), INVALID);
        assert_eq!(
            zeromq_wave_set_wave(refs, 0, child),
            0,
            "the caller still owned it"
        );
        let child2 = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &[1]);
        assert_eq!(
            zeromq_wave_set_wave(refs, 0, child2),
            0,
            "replaces (and frees) the first child"
        );
        assert_eq!(zeromq_wave_set_wave(refs, 1, null_mut()), 0);

        // Nesting to the limit and one past it; serialize and free the deepest chain on a
        // thread with a small stack (hosts call from threads they did not size).
        let mut chain = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
        let mut depth = 1;
        loop {
            let parent = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
            if zeromq_wave_set_wave(parent, 0, chain) != 0 {
                zeromq_wave_free(parent);
                break;
            }
            chain = parent;
            depth += 1;
            assert!(depth < 100_000, "no nesting limit");
        }
        let chain_addr = chain as usize;
        let json_len = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let chain = chain_addr as *mut zeromq_wave;
                let mut m = null_mut();
                assert_eq!(zeromq_wave_serialize(chain, &mut m), 0);
                let n = frames_of(m)[0].len();
                zeromq_message_free(m);
                zeromq_wave_free(chain);
                n
            })
            .unwrap()
            .join()
            .expect("deep nesting on a small stack");
        println!(
            "wave reference waves nest {depth} levels; the deepest serializes to {json_len} bytes"
        );

        // Serialization of every wave built above, and of NULL.
        let mut m = null_mut();
        assert_eq!(zeromq_wave_serialize(num, null_mut()), INVALID);
        assert_eq!(zeromq_wave_serialize(null(), &mut m), 0);
        assert_eq!(frames_of(m), vec![b"null".to_vec()]);
        zeromq_message_free(m);
        for w in [num, text, refs, dfr] {
            let mut m = null_mut();
            assert_eq!(zeromq_wave_serialize(w, &mut m), 0);
            let json = frames_of(m).remove(0);
            zeromq_message_free(m);
            serde_json::from_slice::<serde_json::Value>(&json).expect("valid JSON");
        }
        // A reply takes ownership of its wave even when the reply pointer is NULL.
        assert_eq!(zeromq_reply_wave(null_mut(), num), INVALID);
        for w in [text, refs, dfr] {
            zeromq_wave_free(w);
        }
        zeromq_wave_free(null_mut());
    });
}
