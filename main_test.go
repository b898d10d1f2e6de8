package httpserver_test

import (
	"os"
	"testing"
)

// TestMain clears the variables that force colour on or off, so that log
// output captured in a buffer is plain whatever the environment of the
// test run says; the colour tests set them with t.Setenv.
func TestMain(m *testing.M) {
	for _, v := range []string{"PYTHON_COLORS", "FORCE_COLOR", "NO_COLOR", "TERM"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}
