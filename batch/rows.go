package batch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/geosim/geosim/output"
)

// mergeRows streams the shards' runs.csv, in shard order, into the
// merged folder's runs.csv: one header, then every shard's rows. It
// holds one line at a time, so memory does not grow with the number of
// runs. Each shard's file must be what its shard.json says it wrote
// (its SHA-256, computed on the way), start with the scenario's header
// and hold exactly the rows of the shard's block of run indices, in
// order, each with one field per column; anything else stops the merge
// before the folder is committed.
func mergeRows(ctx context.Context, folder *output.Folder, header []string, shards []shardDir) error {
	var want bytes.Buffer
	if err := output.WriteHeader(&want, header); err != nil {
		return err
	}
	w, err := folder.Create("runs.csv")
	if err != nil {
		return err
	}
	defer w.Abort()
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.Write(want.Bytes()); err != nil {
		return err
	}
	for _, s := range shards {
		if err := copyRows(ctx, bw, s, want.Bytes(), len(header)); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return w.Close()
}

// maxRowBytes bounds one line of runs.csv: 32 bytes a field is more than
// any number geosim writes.
func maxRowBytes(columns int) int { return 64 + 32*columns }

func copyRows(ctx context.Context, w io.Writer, s shardDir, header []byte, columns int) error {
	path := filepath.Join(s.dir, "runs.csv")
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", s.dir, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	sum := sha256.New()
	r := bufio.NewReaderSize(io.TeeReader(f, sum), max(64<<10, maxRowBytes(columns)))
	line, err := r.ReadSlice('\n')
	if !bytes.Equal(line, header) {
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s:1: %v", path, err)
		}
		return fmt.Errorf("%s:1: the header is not the scenario's runs.csv header", path)
	}
	var index []byte
	for i := 0; i < s.h.Count; i++ {
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, err = r.ReadSlice('\n')
		lineNo := i + 2
		switch {
		case errors.Is(err, io.EOF) && len(line) == 0:
			return fmt.Errorf("%s: %d rows, the shard ran %d runs", path, i, s.h.Count)
		case errors.Is(err, bufio.ErrBufferFull):
			return fmt.Errorf("%s:%d: line longer than %d bytes: not a runs.csv row", path, lineNo, r.Size())
		case errors.Is(err, io.EOF):
			return fmt.Errorf("%s:%d: the last row is cut short (no final newline)", path, lineNo)
		case err != nil:
			return fmt.Errorf("%s:%d: %w", path, lineNo, err)
		}
		index = strconv.AppendInt(index[:0], int64(s.h.First+i), 10)
		if err := checkRow(line, index, columns); err != nil {
			return fmt.Errorf("%s:%d: %v", path, lineNo, err)
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	if extra, _ := r.Peek(1); len(extra) > 0 {
		return fmt.Errorf("%s: more than the %d rows the shard ran", path, s.h.Count)
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != s.h.Files["runs.csv"] {
		return fmt.Errorf("%s: its SHA-256 is not the one the shard recorded: the file was edited or damaged", path)
	}
	return nil
}

// checkRow checks one runs.csv line (with its newline): it starts with
// the expected run index and has one field per column, each empty or
// made of the characters numbers are written with.
func checkRow(line, index []byte, columns int) error {
	body := line[:len(line)-1]
	first, rest, found := bytes.Cut(body, []byte{','})
	if !bytes.Equal(first, index) {
		return fmt.Errorf("run index %q, expected %s: rows must be the shard's runs in order", clipBytes(first), index)
	}
	fields := 2 // the index and the first field after it
	for _, c := range rest {
		switch {
		case c == ',':
			fields++
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E', c == 'N', c == 'a', c == 'I', c == 'n', c == 'f':
		default:
			return fmt.Errorf("unexpected character %q: runs.csv holds only numbers", c)
		}
	}
	if !found {
		fields = 1
	}
	if fields != columns {
		return fmt.Errorf("%d fields, the header has %d columns", fields, columns)
	}
	return nil
}

func clipBytes(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}
