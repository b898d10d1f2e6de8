package httpserver

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/httpserver-go/httpserver/internal/pystr"
	"golang.org/x/crypto/bcrypt"
)

// BasicAuth admits the requests that carry the name and password of one
// of its users in HTTP Basic authentication (RFC 7617) and answers every
// other with 401 Unauthorized. Any handler can use it: call Authorize at
// the start of Do, so that it guards every method, known or not:
//
//	type Private struct {
//		httpserver.SimpleHandler
//		Auth *httpserver.BasicAuth
//	}
//
//	func (p *Private) Do(command string) bool {
//		if _, ok := p.Auth.Authorize(p); !ok {
//			return true // answered: 401
//		}
//		return p.SimpleHandler.Do(command)
//	}
//
// The users and their bcrypt password hashes come from an htpasswd file
// (ReadHtpasswd), as Apache's `htpasswd -B` writes it. Passwords are
// checked with golang.org/x/crypto/bcrypt, in constant time, and an
// unknown user costs the same bcrypt check as a known one, so the time of
// an answer tells nothing about which users exist. A password once
// verified is remembered as a keyed hash, so a browser that sends it with
// every request does not pay for bcrypt each time.
//
// Guessing is slowed: once a client address (an IPv4 address, the /64
// of an IPv6 one) has failed five checks, its further checks run one per
// GuessInterval, and a request that would wait for its turn more than
// ten intervals gets 429 Too Many Requests with Retry-After instead. The
// address is forgiven 15 minutes after its last failure. A password
// verified before is recognised without a check, so browsers already
// signed in are not slowed, whoever shares their address. At most
// GOMAXPROCS bcrypt comparisons run at once, so guessing from many
// addresses cannot take every CPU from the requests being served.
//
// Basic authentication sends the password in the clear with every
// request: use it over HTTPS, or on a network you trust.
//
// A BasicAuth is safe for concurrent use; one serves every connection.
// Set Realm before serving.
type BasicAuth struct {
	// Realm names the protected space in the challenge
	// (WWW-Authenticate: Basic realm="..."); browsers may show it. ""
	// means "httpserver".
	Realm string

	// GuessInterval is how far apart the password checks of a client
	// address run once it has failed five: 0 means one second. A check
	// waits at most ten intervals for its turn, and a graceful Shutdown
	// waits for it. A negative GuessInterval turns the throttle off, for
	// a server whose clients all reach it through one address (a reverse
	// proxy that does its own limiting). Set it before serving.
	GuessInterval time.Duration

	// Immutable after ReadHtpasswd.
	users   map[string][]byte                 // user name → bcrypt hash
	decoy   []byte                            // a hash checked for unknown users
	key     []byte                            // HMAC key of verified
	compare func(hash, password []byte) error // bcrypt.CompareHashAndPassword
	bcrypts chan struct{}                     // a token per bcrypt comparison running

	guesses guessThrottle // the client addresses that failed checks

	mu       sync.Mutex
	verified map[string][sha256.Size]byte // guarded by mu: user → HMAC of the password last verified
}

// ReadHtpasswd reads the users of the htpasswd file at path: one
// "user:hash" line per user, the hash bcrypt ($2y$, $2a$ or $2b$, as
// `htpasswd -B` makes it). Empty lines and lines beginning with "#" are
// skipped. Every problem is a *HtpasswdError naming the file (and the
// line), matching ErrHtpasswdSyntax, ErrUnsupportedHash, ErrNoUsers or
// the error of reading the file (fs.ErrNotExist, ...). The file is read
// once; read it again for a new BasicAuth to take changes.
func ReadHtpasswd(path string) (*BasicAuth, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &HtpasswdError{Path: path, Err: err}
	}
	a := &BasicAuth{
		users:    make(map[string][]byte),
		verified: make(map[string][sha256.Size]byte),
		compare:  bcrypt.CompareHashAndPassword,
		bcrypts:  make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	maxCost := bcrypt.MinCost
	lines := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; lines.Scan(); n++ {
		line := strings.TrimSuffix(lines.Text(), "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		lineErr := func(err error) error { return &HtpasswdError{Path: path, Line: n, Err: err} }
		user, hash, ok := strings.Cut(line, ":")
		switch {
		case !ok || user == "":
			return nil, lineErr(fmt.Errorf("%w: not user:hash", ErrHtpasswdSyntax))
		case a.users[user] != nil:
			return nil, lineErr(fmt.Errorf("%w: user %s listed again", ErrHtpasswdSyntax, pystr.Repr(user)))
		case !strings.HasPrefix(hash, "$2"):
			return nil, lineErr(ErrUnsupportedHash)
		}
		cost, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return nil, lineErr(fmt.Errorf("%w: bad bcrypt hash (%v)", ErrHtpasswdSyntax, strings.TrimPrefix(err.Error(), "crypto/bcrypt: ")))
		}
		a.users[user] = []byte(hash)
		maxCost = max(maxCost, cost)
	}
	if err := lines.Err(); err != nil {
		return nil, &HtpasswdError{Path: path, Err: fmt.Errorf("%w: %v", ErrHtpasswdSyntax, err)}
	}
	if len(a.users) == 0 {
		return nil, &HtpasswdError{Path: path, Err: ErrNoUsers}
	}
	a.key = []byte(rand.Text())
	a.decoy, err = bcrypt.GenerateFromPassword([]byte(rand.Text()), maxCost)
	if err != nil {
		return nil, &HtpasswdError{Path: path, Err: err}
	}
	return a, nil
}

// Authorize reports whether the request h is handling carries the
// credentials of a user, and returns the user's name. Otherwise it has
// answered the request: SendError(401) with a WWW-Authenticate challenge
// for Realm, after logging the user name of wrong credentials through
// LogError; or, for a client address guessing faster than GuessInterval
// allows, SendError(429) with Retry-After, without checking the password.
// The caller should then return without answering again. Pass the
// handler itself (self), so that its overrides of SendError and LogError
// are used.
func (a *BasicAuth) Authorize(h Handler) (user string, ok bool) {
	b := h.baseHandler()
	self := b.this()
	user, password, given := basicCredentials(b.Headers.Values("Authorization"))
	if given {
		sum, remembered := a.remembered(user, password)
		if remembered {
			return user, true
		}
		client, interval := guessKey(b.ClientAddress), a.guessInterval()
		wait, ok := a.guesses.reserve(client, time.Now(), interval)
		if !ok {
			retry := strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10)
			b.sendErrorWith(HeaderField{"Retry-After", retry}, 429)
			return "", false
		}
		time.Sleep(wait)
		if a.verify(user, password, sum) {
			return user, true
		}
		a.guesses.failed(client, time.Now())
		self.LogError("Authentication failed for user %s", pystr.Repr(user))
	}
	b.sendErrorWith(HeaderField{"WWW-Authenticate", a.challenge()}, 401)
	return "", false
}

// guessInterval is GuessInterval with its default; 0 when off.
func (a *BasicAuth) guessInterval() time.Duration {
	switch {
	case a.GuessInterval < 0:
		return 0
	case a.GuessInterval == 0:
		return time.Second
	}
	return a.GuessInterval
}

// challenge is the value of WWW-Authenticate: the realm as a quoted
// string (its quotes and backslashes escaped, control characters
// dropped), and UTF-8 as the charset of names and passwords (RFC 7617
// §2.1), so browsers send them as such.
func (a *BasicAuth) challenge() string {
	realm := a.Realm
	if realm == "" {
		realm = "httpserver"
	}
	var b strings.Builder
	b.WriteString(`Basic realm="`)
	for _, r := range realm {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
		case r < ' ' || r == 0x7f:
			continue
		}
		b.WriteRune(r)
	}
	b.WriteString(`", charset="UTF-8"`)
	return b.String()
}

// remembered reports whether password is the one last verified for user,
// comparing HMACs in constant time; sum is the HMAC of user and password,
// for verify.
func (a *BasicAuth) remembered(user, password string) (sum [sha256.Size]byte, ok bool) {
	mac := hmac.New(sha256.New, a.key)
	mac.Write([]byte(user))
	mac.Write([]byte{0})
	mac.Write([]byte(password))
	mac.Sum(sum[:0])
	a.mu.Lock()
	seen, ok := a.verified[user]
	a.mu.Unlock()
	return sum, ok && hmac.Equal(seen[:], sum[:])
}

// verify reports whether password is user's by one bcrypt comparison,
// against the decoy for an unknown user, waiting for a turn among the
// comparisons running; a password verified is remembered by its HMAC,
// sum.
func (a *BasicAuth) verify(user, password string, sum [sha256.Size]byte) bool {
	hash, known := a.users[user]
	if !known {
		hash = a.decoy
	}
	a.bcrypts <- struct{}{}
	err := a.compare(hash, []byte(password))
	<-a.bcrypts
	if err != nil || !known {
		return false
	}
	a.mu.Lock()
	a.verified[user] = sum
	a.mu.Unlock()
	return true
}

// basicCredentials decodes the user and password of an Authorization
// header "Basic <base64 of user:password>"; given is false unless there is
// exactly one such header, well formed.
func basicCredentials(values []string) (user, password string, given bool) {
	if len(values) != 1 {
		return "", "", false
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !ok || !equalFoldASCII(scheme, "Basic") {
		return "", "", false
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimLeft(token, " "))
	if err != nil {
		return "", "", false
	}
	user, password, ok = strings.Cut(string(decoded), ":")
	return user, password, ok
}
