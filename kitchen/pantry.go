package kitchen

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unsafe"
)

// DefaultPantrySize is the pantry file's size when none is given: larger
// than any read a menu may ask (MaxReadBytes) and small enough to write in
// well under a second at start.
const DefaultPantrySize = 256 << 20

// DirectAlign is the alignment of offsets, lengths and buffers of reads
// with O_DIRECT: 4 KiB covers the logical block size of the filesystems
// that support O_DIRECT.
const DirectAlign = 4096

// Pantry is the file that read steps read: written once at start by
// CreatePantry, then read at offsets fixed by the seed (Offset), so every
// strategy reads the same bytes for the same order. Its methods are safe
// for concurrent use; reads go through File with pread (ReadAt or
// unix.Pread), which keeps no file position.
type Pantry struct {
	File   *os.File // open for reading; with O_DIRECT when Direct
	Size   int64    // bytes
	Direct bool     // reads bypass the page cache (O_DIRECT)
	Seed   uint64   // fixes the offsets; the menu's seed
	dir    string   // the temporary directory CreatePantry made, removed by Close
	fd     int      // File's descriptor, taken once by CreatePantry; 0: ask File
}

// FD returns the file's descriptor, for pread(2) without os.File's locking.
// The file stays open until Close.
func (p *Pantry) FD() int {
	if p.fd > 0 {
		return p.fd
	}
	return int(p.File.Fd())
}

// Align returns the alignment reads need: DirectAlign with O_DIRECT, else 1.
func (p *Pantry) Align() int64 {
	if p.Direct {
		return DirectAlign
	}
	return 1
}

// Offset returns where read n bytes of step of order orderID starts: a pure
// function of the pantry's seed, the order and the step, uniform over the
// offsets that leave room for n bytes, and a multiple of Align. n must be
// at most Size (CheckMenu checks).
func (p *Pantry) Offset(orderID int64, step int, n int64) int64 {
	a := p.Align()
	slots := (p.Size-n)/a + 1
	if slots <= 1 {
		return 0
	}
	z := p.Seed ^ (uint64(orderID)*0x9e3779b97f4a7c15 + uint64(step)*0xd1b54a32d192ed03 + 0x632be59bd9b4e019)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int64(z%uint64(slots)) * a
}

// Buffer returns a buffer for reads of up to n bytes, aligned in memory and
// rounded up in length to Align as O_DIRECT requires. Each reader keeps its
// own.
func (p *Pantry) Buffer(n int64) []byte {
	a := p.Align()
	size := (n + a - 1) / a * a
	if a == 1 {
		return make([]byte, size)
	}
	raw := make([]byte, size+a)
	off := int64(uintptr(unsafe.Pointer(&raw[0]))) & (a - 1)
	if off != 0 {
		off = a - off
	}
	return raw[off : off+size : off+size]
}

// ReadLen returns how many bytes a read of n bytes asks of the file: n
// rounded up to Align (O_DIRECT reads whole blocks).
func (p *Pantry) ReadLen(n int64) int64 {
	a := p.Align()
	return (n + a - 1) / a * a
}

// CheckMenu reports whether every read step of m fits in the pantry.
func (p *Pantry) CheckMenu(m *Menu) error {
	if need := p.ReadLen(m.MaxRead()); need > p.Size {
		return fmt.Errorf("kitchen: menu %q reads %d bytes at once but the pantry holds %d; give a larger --pantry-size", m.Name, need, p.Size)
	}
	return nil
}

// Close closes the file and removes the directory CreatePantry made.
func (p *Pantry) Close() error {
	err := p.File.Close()
	if p.dir != "" {
		err = errors.Join(err, os.RemoveAll(p.dir))
	}
	return err
}

// PantryOptions says how CreatePantry makes the pantry.
type PantryOptions struct {
	Dir    string // where to make its temporary directory; default os.TempDir()
	Size   int64  // bytes; default DefaultPantrySize
	Direct bool   // open for reads with O_DIRECT (Linux, on filesystems that allow it)
	Seed   uint64 // fixes read offsets (and the file's bytes)
}

// CreatePantry writes a pantry file of opt.Size bytes in a new temporary
// directory and opens it for reading, through the page cache or, with
// opt.Direct, with O_DIRECT. It fails with a message saying so where the
// platform or the filesystem refuses O_DIRECT (tmpfs before Linux 6.6
// does). Close removes it.
func CreatePantry(opt PantryOptions) (*Pantry, error) {
	if opt.Size == 0 {
		opt.Size = DefaultPantrySize
	}
	if opt.Size < DirectAlign || opt.Size%DirectAlign != 0 {
		return nil, fmt.Errorf("kitchen: pantry size %d: want a positive multiple of %d bytes", opt.Size, DirectAlign)
	}
	dir, err := os.MkdirTemp(opt.Dir, "kitchen-pantry-")
	if err != nil {
		return nil, fmt.Errorf("kitchen: pantry: %w", err)
	}
	p, err := createPantry(dir, opt)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return p, nil
}

func createPantry(dir string, opt PantryOptions) (*Pantry, error) {
	path := filepath.Join(dir, "pantry")
	w, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("kitchen: pantry: %w", err)
	}
	// Bytes from the seed rather than zeros, so no filesystem stores the
	// file sparsely and every read copies real data.
	buf := make([]byte, 1<<20)
	x := opt.Seed | 1
	for i := 0; i+8 <= len(buf); i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		for j := 0; j < 8; j++ {
			buf[i+j] = byte(x >> (8 * j))
		}
	}
	for left := opt.Size; left > 0; {
		n := min(left, int64(len(buf)))
		if _, err := w.Write(buf[:n]); err != nil {
			w.Close()
			return nil, fmt.Errorf("kitchen: pantry: writing %s: %w", path, err)
		}
		left -= n
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("kitchen: pantry: writing %s: %w", path, err)
	}
	f, err := openPantry(path, opt.Direct)
	if err != nil {
		return nil, err
	}
	p := &Pantry{File: f, Size: opt.Size, Direct: opt.Direct, Seed: opt.Seed, dir: dir}
	p.fd = int(f.Fd())
	if opt.Direct {
		// Some filesystems accept O_DIRECT at open and refuse the read.
		b := p.Buffer(DirectAlign)
		if _, err := f.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
			f.Close()
			return nil, fmt.Errorf("kitchen: pantry: the filesystem of %s refuses O_DIRECT reads (%v); drop --pantry-direct or give --pantry-dir on a disk filesystem", dir, err)
		}
	}
	return p, nil
}
