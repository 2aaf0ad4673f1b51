package sim

import (
	"fmt"
	"time"
)

// Month is a calendar month counted from January of year 0
// (year*12 + month-1). The model steps one Month at a time.
type Month int

// MonthOf returns the calendar month that contains t.
func MonthOf(t time.Time) Month { return Month(t.Year()*12 + int(t.Month()) - 1) }

// Year returns the month's year.
func (m Month) Year() int { return int(m) / 12 }

// Time returns midnight UTC on the first day of the month.
func (m Month) Time() time.Time {
	return time.Date(m.Year(), time.Month(int(m)%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// String formats the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), int(m)%12+1) }

// Date returns the first day of the month as YYYY-MM-DD.
func (m Month) Date() string { return m.Time().Format("2006-01-02") }
