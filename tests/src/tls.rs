//! `--tls CA_FILE`: HTTPS with certificates made at start. A throwaway certificate authority
//! signs a certificate for `localhost`, `127.0.0.1` and the bound host; the authority's
//! certificate is written to `CA_FILE` (PEM), for clients to trust (Python's `ca_bundle=`,
//! `SSL_CERT_FILE`, Node's `NODE_EXTRA_CA_CERTS`). Nothing is kept between runs.

use std::path::Path;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// Makes the certificates, writes the authority's to `ca_file`, and returns the acceptor.
pub fn acceptor(ca_file: &Path, host: &str) -> Result<TlsAcceptor, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("--tls: {what}: {e}");
    let mut ca_params =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("CA parameters", &e))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "degreed-sandbox test CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(|e| fail("CA key", &e))?;
    let ca = ca_params
        .self_signed(&ca_key)
        .map_err(|e| fail("CA certificate", &e))?;

    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if !names.iter().any(|n| n == host) && !host.is_empty() {
        names.push(host.to_owned());
    }
    let mut params = CertificateParams::new(names).map_err(|e| fail("names", &e))?;
    params
        .distinguished_name
        .push(DnType::CommonName, "degreed-sandbox");
    let key = KeyPair::generate().map_err(|e| fail("key", &e))?;
    let cert = params
        .signed_by(&key, &ca, &ca_key)
        .map_err(|e| fail("certificate", &e))?;
    std::fs::write(ca_file, ca.pem())
        .map_err(|e| fail(&format!("writing {}", ca_file.display()), &e))?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail("TLS versions", &e))?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone(), ca.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(|e| fail("TLS configuration", &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
