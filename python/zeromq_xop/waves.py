"""Waves (typed n-dimensional arrays with Igor Pro's metadata) to and from the wire format.

A wave travels as a JSON object (``type``, ``dimension.size``, ``data.raw``, optional units,
scaling, labels, note; points in column-major order) or, for numeric data, with
``"data": {"buffer": k}`` naming frame ``k`` after the message's JSON frame, which holds the
points little-endian, column-major, complex values as interleaved (re, im) pairs.

On the Python side a wave is a :class:`Wave`, a :class:`numpy.ndarray` with the metadata as
attributes. Any numpy array (or list) may be passed where a wave is expected.
"""

import math

import numpy as np

__all__ = ["Wave", "encode_wave", "decode_wave", "type_code", "dtype_of"]

NT_CMPLX = 0x01
NT_FP32 = 0x02
NT_FP64 = 0x04
NT_I8 = 0x08
NT_I16 = 0x10
NT_I32 = 0x20
NT_UNSIGNED = 0x40
NT_I64 = 0x80
TEXT_WAVE_TYPE = 0
DATAFOLDER_TYPE = 0x100
WAVE_TYPE = 0x4000

_BASE_NAMES = {
    "NT_FP32": NT_FP32,
    "NT_FP64": NT_FP64,
    "NT_I8": NT_I8,
    "NT_I16": NT_I16,
    "NT_I32": NT_I32,
    "NT_I64": NT_I64,
    "TEXT_WAVE_TYPE": TEXT_WAVE_TYPE,
    "WAVE_TYPE": WAVE_TYPE,
    "DATAFOLDER_TYPE": DATAFOLDER_TYPE,
}
_FLAG_NAMES = {"NT_CMPLX": NT_CMPLX, "NT_UNSIGNED": NT_UNSIGNED}
_NUMERIC_BASES = (NT_FP32, NT_FP64, NT_I8, NT_I16, NT_I32, NT_I64)

# Metadata attributes of a Wave and their defaults ("unset").
_META = {
    "wave_type": None,
    "data_unit": "",
    "dim_units": None,
    "delta": None,
    "offset": None,
    "dim_labels": None,
    "index_labels": None,
    "full_scale": None,
    "note": None,
    "modification": 0,
}


class Wave(np.ndarray):
    """A numpy array with Igor Pro's wave metadata.

    Attributes (``None`` or empty when unset):

    - ``wave_type``: the Igor type code it came with (``None`` for a plain array).
    - ``data_unit``: units of the values.
    - ``dim_units``: units per dimension (list of str).
    - ``delta``, ``offset``: scaling per dimension (value of index i is offset + i * delta).
    - ``dim_labels``: label of each dimension (list of str).
    - ``index_labels``: per dimension, the list of row (column, ...) labels.
    - ``full_scale``: ``(min, max)`` of the data full scale.
    - ``note``: the wave note.
    - ``modification``: modification date, seconds since 1970 (0: unknown).

    Create one from any array with ``Wave(array, note="...", data_unit="V", ...)``.
    """

    def __new__(cls, data, **meta):
        obj = np.asarray(data).view(cls)
        for key, default in _META.items():
            setattr(obj, key, meta.pop(key, default))
        if meta:
            raise TypeError("unknown wave attribute(s): " + ", ".join(sorted(meta)))
        return obj

    def __array_finalize__(self, obj):
        for key, default in _META.items():
            setattr(self, key, getattr(obj, key, default))

    def scale(self, dim=0):
        """The scaled index values of dimension ``dim`` (``offset + i * delta``)."""
        delta = self.delta[dim] if self.delta else 1.0
        offset = self.offset[dim] if self.offset else 0.0
        return offset + delta * np.arange(self.shape[dim])


def type_name(code):
    """The wire name of an Igor type code, e.g. ``"NT_I32 | NT_CMPLX | NT_UNSIGNED"``."""
    name = {v: n for n, v in _BASE_NAMES.items()}[code & ~(NT_CMPLX | NT_UNSIGNED)]
    if code & NT_CMPLX and code != TEXT_WAVE_TYPE:
        name += " | NT_CMPLX"
    if code & NT_UNSIGNED:
        name += " | NT_UNSIGNED"
    return name


def parse_type(name):
    """The Igor type code of a wire type name (or a code given as a number)."""
    if isinstance(name, int):
        return name
    code = 0
    for part in name.split("|"):
        part = part.strip()
        if part in _FLAG_NAMES:
            code |= _FLAG_NAMES[part]
        elif part in _BASE_NAMES:
            code |= _BASE_NAMES[part]
        else:
            raise ValueError("unknown wave type %r" % name)
    return code


def dtype_of(code):
    """The little-endian numpy dtype of a numeric Igor type (complex integers: their
    components' dtype; see :func:`decode_wave`)."""
    base = code & ~(NT_CMPLX | NT_UNSIGNED)
    if base == NT_FP64:
        return np.dtype("<c16" if code & NT_CMPLX else "<f8")
    if base == NT_FP32:
        return np.dtype("<c8" if code & NT_CMPLX else "<f4")
    size = {NT_I8: 1, NT_I16: 2, NT_I32: 4, NT_I64: 8}[base]
    return np.dtype("<%s%d" % ("u" if code & NT_UNSIGNED else "i", size))


def type_code(dtype):
    """The Igor type code for a numpy dtype (bool as unsigned 8-bit, complex integers do not
    exist in numpy)."""
    dtype = np.dtype(dtype)
    kind, size = dtype.kind, dtype.itemsize
    if kind == "b":
        return NT_I8 | NT_UNSIGNED
    if kind == "f":
        if size == 4:
            return NT_FP32
        if size == 8:
            return NT_FP64
    if kind == "c":
        if size == 8:
            return NT_FP32 | NT_CMPLX
        if size == 16:
            return NT_FP64 | NT_CMPLX
    if kind in "iu":
        base = {1: NT_I8, 2: NT_I16, 4: NT_I32, 8: NT_I64}[size]
        return base | (NT_UNSIGNED if kind == "u" else 0)
    if kind in "USO":
        return TEXT_WAVE_TYPE  # object arrays of arrays: WAVE_TYPE, see encode_wave
    raise TypeError("no wave type for numpy dtype %s" % dtype)


def _number(v):
    """A JSON value of a numeric point: numbers, or the strings "nan", "inf", "-inf"."""
    if isinstance(v, str):
        return float(v)
    return v


def _json_float(x):
    """A float for JSON: non-finite values as the strings the hosts read."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def decode_wave(obj, frames=()):
    """A :class:`Wave` from a wire wave object (``None`` for a null wave). ``frames`` are the
    message's frames after the JSON, for ``{"buffer": k}`` data (decoded without a copy when
    the frame's memory allows)."""
    if obj is None:
        return None
    code = parse_type(obj["type"])
    size = [int(s) for s in obj["dimension"]["size"]]
    data = obj["data"]
    base = code & ~(NT_CMPLX | NT_UNSIGNED)
    complex_ = bool(code & NT_CMPLX) and base in _NUMERIC_BASES
    if "buffer" in data:
        buf = frames[int(data["buffer"])]
        buf = getattr(buf, "buffer", buf)
        if complex_ and base not in (NT_FP32, NT_FP64):
            parts = np.frombuffer(buf, dtype=dtype_of(code & ~NT_CMPLX)).reshape(-1, 2)
            flat = parts[:, 0] + 1j * parts[:, 1].astype(np.float64)
        else:
            flat = np.frombuffer(buf, dtype=dtype_of(code))
    else:
        raw = data["raw"]
        if code == TEXT_WAVE_TYPE or code == DATAFOLDER_TYPE:
            flat = np.empty(len(raw), dtype=object)
            flat[:] = list(raw)
        elif code == WAVE_TYPE:
            flat = np.empty(len(raw), dtype=object)
            flat[:] = [decode_wave(w, frames) for w in raw]
        elif complex_:
            # numpy reads the strings "nan", "inf" and "-inf" as floats itself.
            re = np.array(raw["real"], dtype=np.float64)
            im = np.array(raw["imag"], dtype=np.float64)
            flat = re + 1j * im
            if base in (NT_FP32, NT_FP64):
                flat = flat.astype(dtype_of(code))
        elif base in (NT_FP32, NT_FP64):
            flat = np.array(raw, dtype=dtype_of(code))
        else:
            flat = np.array(raw, dtype=dtype_of(code))
    wave = Wave(flat.reshape(size, order="F"))
    wave.wave_type = code
    dim = obj["dimension"]
    wave.data_unit = data.get("unit", "")
    if "fullScale" in data:
        wave.full_scale = tuple(_number(v) for v in data["fullScale"])
    wave.dim_units = dim.get("unit")
    if "delta" in dim:
        wave.delta = [_number(v) for v in dim["delta"]]
        wave.offset = [_number(v) for v in dim["offset"]]
    labels = dim.get("label", {})
    wave.dim_labels = labels.get("full")
    if "each" in labels:
        each, per_dim, at = labels["each"], [], 0
        for n in size:
            per_dim.append(each[at : at + n])
            at += n
        wave.index_labels = per_dim
    wave.note = obj.get("note")
    wave.modification = obj.get("date", {}).get("modification", 0)
    return wave


def encode_wave(value, frames=None):
    """The wire wave object for an array (a :class:`Wave`, a numpy array, or anything
    :func:`numpy.asarray` accepts). With ``frames`` (a list), numeric data goes there as one
    more frame (little-endian, column-major, no copy when the array already is) and the object
    references it; otherwise the points are written as JSON."""
    a = value if isinstance(value, np.ndarray) else np.asarray(value)
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim > 4:
        raise ValueError("a wave has 1 to 4 dimensions, not %d" % a.ndim)
    code = type_code(a.dtype)
    points = a.ravel(order="F")
    if a.dtype.kind == "O" and not all(isinstance(v, (str, bytes)) for v in points):
        code = WAVE_TYPE  # an array of arrays (None: a null wave)
    obj = {"type": type_name(code), "dimension": {"size": list(a.shape)}}
    if code == WAVE_TYPE:
        obj["data"] = {"raw": [None if v is None else encode_wave(v, frames) for v in points]}
    elif code == TEXT_WAVE_TYPE:
        obj["data"] = {"raw": [_text(v) for v in a.ravel(order="F")]}
    else:
        if a.dtype.kind == "b":
            a = a.astype(np.uint8)
        a = np.asfortranarray(a, dtype=a.dtype.newbyteorder("<"))
        flat = a.ravel(order="F")
        if frames is not None:
            obj["data"] = {"buffer": len(frames)}
            frames.append(memoryview(flat.view(np.uint8)))
        elif code & NT_CMPLX:
            obj["data"] = {"raw": {"real": _json_floats(flat.real), "imag": _json_floats(flat.imag)}}
        elif a.dtype.kind == "f":
            obj["data"] = {"raw": _json_floats(flat)}
        else:
            obj["data"] = {"raw": flat.tolist()}
    _encode_meta(value, obj, a.shape)
    return obj


def _json_floats(a):
    """A float array as a JSON list (non-finite values as strings)."""
    if np.isfinite(a).all():
        return a.astype(np.float64).tolist()
    return [_json_float(v) for v in a]


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def _encode_meta(value, obj, shape):
    """Copy a Wave's metadata into the wire object."""
    if not isinstance(value, Wave):
        return
    dim, data = obj["dimension"], obj["data"]
    n = len(shape)
    if value.data_unit:
        data["unit"] = value.data_unit
    if value.full_scale is not None:
        data["fullScale"] = [_json_float(v) for v in value.full_scale]
    if value.dim_units:
        dim["unit"] = list(value.dim_units)[:n]
    if value.delta is not None or value.offset is not None:
        dim["delta"] = [_json_float(v) for v in (value.delta or [1.0] * n)][:n]
        dim["offset"] = [_json_float(v) for v in (value.offset or [0.0] * n)][:n]
    labels = {}
    if value.dim_labels:
        labels["full"] = list(value.dim_labels)[:n]
    if value.index_labels:
        labels["each"] = [l for per_dim in value.index_labels[:n] for l in per_dim]
    if labels:
        dim["label"] = labels
    if value.note is not None:
        obj["note"] = value.note
    if value.modification:
        obj["date"] = {"modification": int(value.modification)}
