package testcert

import (
	"crypto/x509"
	"testing"
)

// TestCertificatesVerify checks that a self-signed certificate and the
// leaf of a two-level chain, read back from CertPEM, verify as server
// certificates for 127.0.0.1 and localhost.
func TestCertificatesVerify(t *testing.T) {
	key := NewECKey(t)
	self := SelfSigned(t, key)
	rootKey, midKey := NewECKey(t), NewEd25519Key(t)
	root := Issue(t, rootKey.Public(), nil, rootKey, true)
	mid := Issue(t, midKey.Public(), root, rootKey, true)
	leaf := Issue(t, RSAKey().Public(), mid, midKey, false)
	for _, tt := range []struct {
		name         string
		roots, chain []*x509.Certificate
	}{
		{"self-signed", []*x509.Certificate{self}, []*x509.Certificate{self}},
		{"chain", []*x509.Certificate{root}, []*x509.Certificate{leaf, mid}},
	} {
		pool, inter := x509.NewCertPool(), x509.NewCertPool()
		pool.AppendCertsFromPEM(CertPEM(tt.roots...))
		inter.AppendCertsFromPEM(CertPEM(tt.chain[1:]...))
		for _, host := range []string{"127.0.0.1", "localhost"} {
			opts := x509.VerifyOptions{DNSName: host, Roots: pool, Intermediates: inter}
			if _, err := tt.chain[0].Verify(opts); err != nil {
				t.Errorf("%s for %s: %v", tt.name, host, err)
			}
		}
	}
}
