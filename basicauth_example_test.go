package httpserver_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/httpserver-go/httpserver"
	"golang.org/x/crypto/bcrypt"
)

// Private serves a directory to the users of an htpasswd file only: Do,
// which dispatches every request, first asks the BasicAuth.
type Private struct {
	httpserver.SimpleHandler
	Auth *httpserver.BasicAuth
}

func (p *Private) Do(command string) bool {
	if _, ok := p.Auth.Authorize(p); !ok {
		return true // answered: 401 Unauthorized
	}
	return p.SimpleHandler.Do(command)
}

func ExampleBasicAuth() {
	dir, err := os.MkdirTemp("", "private")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "plans.txt"), []byte("world domination\n"), 0o644)
	// What `htpasswd -B -c users alice` writes, asking for the password.
	hash, _ := bcrypt.GenerateFromPassword([]byte("wonderland"), bcrypt.DefaultCost)
	users := filepath.Join(dir, "users")
	os.WriteFile(users, []byte("alice:"+string(hash)+"\n"), 0o600)

	auth, err := httpserver.ReadHtpasswd(users)
	if err != nil {
		panic(err)
	}
	auth.Realm = "plans"
	srv, err := httpserver.NewThreadingHTTPServer("127.0.0.1:0", func() httpserver.Handler {
		return &Private{SimpleHandler: httpserver.SimpleHandler{Directory: dir}, Auth: auth}
	})
	if err != nil {
		panic(err)
	}
	srv.Stderr = io.Discard // the request log
	go srv.ServeForever()
	defer srv.ServerClose()
	defer srv.Shutdown()

	for _, password := range []string{"", "wonderland"} {
		req, _ := http.NewRequest("GET", "http://"+srv.ServerAddress.String()+"/plans.txt", nil)
		if password != "" {
			req.SetBasicAuth("alice", password)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.Status)
		if resp.StatusCode == 401 {
			fmt.Println("WWW-Authenticate:", resp.Header.Get("WWW-Authenticate"))
		} else {
			fmt.Print(string(body))
		}
	}
	// Output:
	// 401 Unauthorized
	// WWW-Authenticate: Basic realm="plans", charset="UTF-8"
	// 200 OK
	// world domination
}
