use crate::helpers::{spawn_with, test_options};
use paydiag::{
    pb::v1::{self as pb, diagnosis_service_client::DiagnosisServiceClient},
    server::{ServerOptions, Tls},
    store::sqlite::SqliteStore,
};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::sync::Arc;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};

/// A CA, a server certificate for localhost and 127.0.0.1, and a client certificate.
struct Pki {
    ca: String,
    server: (String, String),
    client: (String, String),
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("ca");
    let leaf = |names: Vec<String>| {
        let key = KeyPair::generate().expect("key");
        let cert = CertificateParams::new(names)
            .expect("params")
            .signed_by(&key, &ca)
            .expect("sign");
        (cert.pem(), key.serialize_pem())
    };
    Pki {
        ca: ca.pem(),
        server: leaf(vec!["localhost".into(), "127.0.0.1".into()]),
        client: leaf(vec!["support-desk".into()]),
    }
}

async fn tls_app(pki: &Pki, mutual: bool) -> crate::helpers::TestApp {
    let dir = tempfile::TempDir::new().expect("dir");
    let store = SqliteStore::open(&dir.path().join("p.db"), 2)
        .await
        .expect("store");
    let tls = Tls {
        cert: pki.server.0.clone().into_bytes(),
        key: pki.server.1.clone().into_bytes(),
        client_ca: mutual.then(|| pki.ca.clone().into_bytes()),
    };
    let options = ServerOptions {
        tls: Some(tls),
        ..test_options()
    };
    spawn_with(Arc::new(store), dir, options).await
}

async fn diagnose_over(
    channel: Result<Channel, tonic::transport::Error>,
) -> Result<pb::Diagnosis, String> {
    let channel = channel.map_err(|e| format!("connect: {e:?}"))?;
    DiagnosisServiceClient::new(channel)
        .diagnose(pb::DiagnoseRequest {
            reference: "TX".into(),
            ..Default::default()
        })
        .await
        .map(tonic::Response::into_inner)
        .map_err(|s| format!("call: {s:?}"))
}

fn tls_channel(
    app: &crate::helpers::TestApp,
    pki: &Pki,
    identity: bool,
) -> Result<Channel, tonic::transport::Error> {
    let mut config = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca))
        .domain_name("localhost");
    if identity {
        config = config.identity(Identity::from_pem(&pki.client.0, &pki.client.1));
    }
    Ok(Channel::from_shared(format!("https://{}", app.addr))
        .expect("uri")
        .tls_config(config)?
        .connect_lazy())
}

#[tokio::test]
async fn the_server_speaks_tls_and_refuses_plaintext() {
    let pki = pki();
    let app = tls_app(&pki, false).await;

    let over_tls = diagnose_over(tls_channel(&app, &pki, false)).await;
    let plaintext = diagnose_over(Ok(app.channel.clone())).await;

    assert_eq!(over_tls.expect("TLS call").cause(), pb::Cause::NotFound);
    assert!(plaintext.is_err(), "a plaintext client must not be served");
}

#[tokio::test]
async fn with_a_client_ca_only_clients_presenting_a_certificate_it_signed_are_served() {
    let pki = pki();
    let stranger = pki_stranger();
    let app = tls_app(&pki, true).await;

    let with_cert = diagnose_over(tls_channel(&app, &pki, true)).await;
    let without_cert = diagnose_over(tls_channel(&app, &pki, false)).await;
    let config = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca))
        .domain_name("localhost")
        .identity(Identity::from_pem(&stranger.0, &stranger.1));
    let foreign = Channel::from_shared(format!("https://{}", app.addr))
        .expect("uri")
        .tls_config(config)
        .map(|c| c.connect_lazy());
    let with_foreign_cert = diagnose_over(foreign).await;

    assert_eq!(
        with_cert.expect("mutual TLS call").cause(),
        pb::Cause::NotFound
    );
    assert!(without_cert.is_err(), "no client certificate: refused");
    assert!(
        with_foreign_cert.is_err(),
        "a certificate from another CA: refused"
    );
}

/// A client certificate from a CA the server does not trust.
fn pki_stranger() -> (String, String) {
    let other = pki();
    other.client
}
