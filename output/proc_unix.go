//go:build unix

package output

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// alive reports whether a process with this PID exists (on this host).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// procStart returns the start time of a process as /proc reports it (in
// clock ticks since boot), where /proc exists: with the PID it
// identifies a process even when PIDs are reused.
func procStart(pid int) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	// The command name (field 2) is in parentheses and may contain
	// spaces; the fields after the last ')' start with field 3.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", false
	}
	fields := strings.Fields(s[i+1:])
	const startTime = 22 - 3
	if len(fields) <= startTime {
		return "", false
	}
	return fields[startTime], true
}
