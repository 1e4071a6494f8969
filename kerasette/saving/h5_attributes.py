"""Bounding what reading an HDF5 attribute allocates, from the attribute's bytes in the file.

A variable-length string attribute stores, per element, a length and a
pointer into the file's global heap. HDF5 allocates that length *before* it
looks at the heap, so a 28 KB file whose ``model_config`` declares a 4 GB
length makes it allocate 4 GB. No HDF5 call reports that length without
reading the attribute, so this module finds the attribute message in the
object header (following continuation chunks; object header versions 1 and
2, attribute message versions 1 to 3) and decodes the lengths itself.

Fixed-size attributes (numbers, fixed-length strings) are bounded through
HDF5's own description (shape times element size). Attributes kept in an
object's dense attribute storage (a fractal heap: only files written with
``libver="latest"`` and more than 8 attributes on one object) or in shared
messages cannot be inspected this way; a variable-length one there is
refused, which no Keras writer produces.
"""

import struct

import h5py

UNDEFINED = (1 << 64) - 1
MAX_CHUNKS = 4096  # continuation chunks followed per object header
MAX_MESSAGES = 1 << 16
ATTRIBUTE = 0x000C
CONTINUATION = 0x0010
ATTRIBUTE_INFO = 0x0015
VLEN_CLASS = 9


class Corrupt(Exception):
    """The object header bytes do not parse (the caller turns this into a refusal)."""


class RawFile:
    """Random access to the bytes of the HDF5 file being read: a path, an in-memory copy, or a file object.

    Args:
        data: the file's bytes.
        path: the file on disk (opened here, closed by ``close``).
        handle: a seekable binary file object (left open by ``close``).
    """

    def __init__(self, data=None, path=None, handle=None):
        self._data = memoryview(data) if data is not None else None
        self._owned = path is not None
        self._handle = open(path, "rb") if self._owned else handle  # noqa: SIM115 - closed by close()
        self.size = len(data) if data is not None else self._handle.seek(0, 2)

    def read(self, offset, length):
        """``length`` bytes at ``offset``; raises ``Corrupt`` past the end of the file."""
        if offset < 0 or length < 0 or offset + length > self.size:
            raise Corrupt(f"a structure at byte {offset} (+{length}) lies past the end of the {self.size}-byte file")
        if self._data is not None:
            return bytes(self._data[offset:offset + length])
        self._handle.seek(offset)
        data = self._handle.read(length)
        if len(data) != length:
            raise Corrupt(f"short read at byte {offset}")
        return data

    def close(self):
        """Release the file handle (if opened here) or the buffer."""
        if self._owned:
            self._handle.close()
        self._data = self._handle = None


def _unpack(fmt, data, offset):
    try:
        return struct.unpack_from(fmt, data, offset)
    except struct.error as error:
        raise Corrupt(f"truncated header field ({error})") from None


def _uint(data, offset, size):
    if offset + size > len(data):
        raise Corrupt("truncated header field")
    return int.from_bytes(data[offset:offset + size], "little")


class _Header:
    """The messages of one object header: ``messages()`` yields ``(type, flags, data)``."""

    def __init__(self, raw, base, address, sizeof_addr, sizeof_size):
        self.raw, self.base, self.address, self.sa, self.ss = raw, base, address, sizeof_addr, sizeof_size
        self.flags = 0

    def messages(self):
        start = self.raw.read(self.base + self.address, 4)
        if start == b"OHDR":
            chunks, version = self._v2_first(), 2
        else:
            if start[0] != 1:
                raise Corrupt(f"unknown object header version {start[0]}")
            size = _unpack("<I", self.raw.read(self.base + self.address + 8, 4), 0)[0]
            chunks, version = [(self.base + self.address + 16, size)], 1
        seen, count = set(), 0
        while chunks:
            offset, length = chunks.pop(0)
            if (offset, length) in seen or len(seen) > MAX_CHUNKS:
                raise Corrupt("object header continuation chunks loop or are too many")
            seen.add((offset, length))
            data = self.raw.read(offset, length)
            for kind, flags, body in (self._v1(data) if version == 1 else self._v2(data)):
                count += 1
                if count > MAX_MESSAGES:
                    raise Corrupt("too many object header messages")
                if kind == CONTINUATION:
                    address, size = _uint(body, 0, self.sa), _uint(body, self.sa, self.ss)
                    if version == 2:
                        if self.raw.read(self.base + address, 4) != b"OCHK":
                            raise Corrupt("continuation chunk without its OCHK signature")
                        chunks.append((self.base + address + 4, size - 8))
                    else:
                        chunks.append((self.base + address, size))
                else:
                    yield kind, flags, body

    def _v2_first(self):
        head = self.raw.read(self.base + self.address, 6 + 16 + 4 + 8)
        flags = self.flags = head[5]
        position = 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0)
        width = 1 << (flags & 0x03)
        size = _uint(head, position, width)
        return [(self.base + self.address + position + width, size)]

    @staticmethod
    def _v1(data):
        position = 0
        while position + 8 <= len(data):
            kind, size, flags = _unpack("<HHB", data, position)
            body = data[position + 8:position + 8 + size]
            if len(body) != size:
                raise Corrupt("an object header message runs past its chunk")
            yield kind, flags, body
            position += 8 + size

    def _v2(self, data):
        extra = 2 if self.flags & 0x04 else 0
        position = 0
        while position + 4 + extra <= len(data):
            kind, size, flags = _unpack("<BHB", data, position)
            position += 4 + extra
            body = data[position:position + size]
            if len(body) != size:
                raise Corrupt("an object header message runs past its chunk")
            yield kind, flags, body
            position += size


def _pad8(n):
    return (n + 7) // 8 * 8


def _parse_attribute(body):
    """``(name, datatype bytes, dataspace bytes, data bytes)``, or None for shared parts."""
    version = body[0] if body else 0
    if version not in (1, 2, 3):
        raise Corrupt(f"unknown attribute message version {version}")
    flags = body[1]
    name_size, type_size, space_size = _unpack("<HHH", body, 2)
    if version > 1 and flags & 0x03:
        return None  # a shared datatype or dataspace: described elsewhere
    position = 8 if version < 3 else 9
    pad = _pad8 if version == 1 else (lambda n: n)
    name = body[position:position + name_size].split(b"\0", 1)[0]
    position += pad(name_size)
    datatype = body[position:position + type_size]
    position += pad(type_size)
    dataspace = body[position:position + space_size]
    position += pad(space_size)
    if len(datatype) != type_size or len(dataspace) != space_size:
        raise Corrupt("an attribute message is shorter than its parts")
    return name, datatype, dataspace, body[position:]


def _element_count(dataspace, sizeof_size):
    if len(dataspace) < 4:
        raise Corrupt("truncated dataspace")
    version, rank = dataspace[0], dataspace[1]
    if version == 1:
        position, kind = 8, (0 if rank == 0 else 1)
    elif version == 2:
        position, kind = 4, dataspace[3]
    else:
        raise Corrupt(f"unknown dataspace version {version}")
    if kind == 2:
        return 0
    count = 1
    for i in range(rank):
        count *= _uint(dataspace, position + i * sizeof_size, sizeof_size)
    return count


def vlen_bytes(raw, base, address, name, sizeof_addr, sizeof_size):
    """The bytes that reading variable-length attribute ``name`` of the object at ``address`` will allocate.

    Returns:
        ``(total, per_element_max)`` in bytes, or None when the attribute is not
        in the object header (dense or shared storage).

    Raises:
        Corrupt: the header or the attribute message does not parse.
    """
    header = _Header(raw, base, address, sizeof_addr, sizeof_size)
    wanted = name.encode("utf8")
    for kind, flags, body in header.messages():
        if kind != ATTRIBUTE or flags & 0x02:  # 0x02: the message itself is shared
            continue
        parsed = _parse_attribute(body)
        if parsed is None or parsed[0] != wanted:
            continue
        _, datatype, dataspace, data = parsed
        if len(datatype) < 8 or datatype[0] & 0x0F != VLEN_CLASS:
            raise Corrupt("the attribute's datatype is not variable-length")
        element_size = _uint(datatype, 4, 4)
        base_size = _uint(datatype, 8 + 4, 4) if len(datatype) >= 16 else 1
        count = _element_count(dataspace, sizeof_size)
        if element_size < 4 or count * element_size > len(data):
            raise Corrupt(f"the attribute declares {count} elements but stores {len(data)} bytes")
        lengths, collections = [], {}
        for i in range(count):
            start = i * element_size
            length = _uint(data, start, 4) * max(base_size, 1)
            if length:
                heap = _uint(data, start + 4, sizeof_addr)
                index = _uint(data, start + 4 + sizeof_addr, 4)
                if heap not in collections:
                    collections[heap] = _global_heap_objects(raw, base, heap, sizeof_size)
                held = collections[heap].get(index)
                if held is None:
                    raise Corrupt(f"element {i} points to global heap object {index} at {heap}, which does not exist")
                if held < length:
                    raise Corrupt(f"element {i} declares {length} bytes but its global heap object holds {held}: an "
                                  "'attribute bomb' that would make HDF5 allocate the declared size")
            lengths.append(length)
        return sum(lengths), max(lengths, default=0)
    return None


def _global_heap_objects(raw, base, address, sizeof_size):
    """``{index: size}`` for the objects of the global heap collection at ``address``.

    Walks the collection the way HDF5 does, refusing what would make HDF5 loop
    forever (an object of size 0) or read past the collection.
    """
    header = 8 + sizeof_size
    head = raw.read(base + address, header)
    if head[:4] != b"GCOL" or head[4] != 1:
        raise Corrupt(f"no global heap collection at address {address}")
    size = _uint(head, 8, sizeof_size)
    if size < header:
        raise Corrupt(f"the global heap collection at {address} declares {size} bytes")
    body = raw.read(base + address, size)
    objects, position, object_header = {}, header, 8 + sizeof_size
    while position < size:
        if position + object_header > size:
            break  # the tail too small for an object header is free space
        index = _uint(body, position, 2)
        length = _uint(body, position + 8, sizeof_size)
        need = object_header + (length + 7) // 8 * 8 if index > 0 else length
        if need <= 0 or position + need > size:
            raise Corrupt(f"global heap object {index} at {address} has an impossible size {length}")
        if index > 0:
            objects[index] = length
        position += need
    return objects


def object_address(obj):
    """The file address of ``obj``'s object header."""
    return h5py.h5o.get_info(obj.id).addr
