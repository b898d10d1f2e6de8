package httpserver

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestBasicAuthTiming checks what the time of an answer can reveal: an
// unknown user costs a bcrypt comparison (against the decoy) as a wrong
// password of a known user does, so timing does not tell which users
// exist; a password verified before is recognised without bcrypt.
func TestBasicAuthTiming(t *testing.T) {
	a := aliceAuth(t, 10)
	median := func(user, password string, want bool) time.Duration {
		var d []time.Duration
		for range 3 {
			start := time.Now()
			if got := a.check(user, password); got != want {
				t.Fatalf("check(%q, %q) = %v, want %v", user, password, got, want)
			}
			d = append(d, time.Since(start))
		}
		slices.Sort(d)
		return d[1]
	}
	wrong := median("alice", "wrong", false)
	unknown := median("mallory", "wrong", false)
	if unknown < wrong/4 {
		t.Errorf("an unknown user took %v, a wrong password %v: the difference reveals who exists", unknown, wrong)
	}
	a.check("alice", "right")
	if cached := median("alice", "right", true); cached > wrong/4 {
		t.Errorf("a verified password took %v again, bcrypt %v: not remembered", cached, wrong)
	}
	if median("alice", "right!", false) < wrong/4 {
		t.Errorf("a password that differs from the remembered one skipped bcrypt")
	}
}

// aliceAuth returns a BasicAuth read from an htpasswd file of one user,
// alice, whose password "right" is hashed at bcrypt cost cost.
func aliceAuth(t *testing.T, cost int) *BasicAuth {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("right"), cost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(path, []byte("alice:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := ReadHtpasswd(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// check reports whether password is user's as Authorize finds it, less
// the throttle: remembered, or else verified.
func (a *BasicAuth) check(user, password string) bool {
	sum, ok := a.remembered(user, password)
	return ok || a.verify(user, password, sum)
}
