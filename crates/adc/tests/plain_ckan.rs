//! A CKAN that is not an agency data catalog (no thai_gdc) is refused with its own message as soon as its
//! `status_show` says so, before its schema is asked for. The test CKAN runs thai_gdc's stand-in, so this
//! uses a bare loopback socket that answers `status_show` as a plain CKAN 2.11 does.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use catalog_adc::{load_live_schema, AdcClient, AdcError};
use catalog_error::ToUserMessage;

#[tokio::test]
async fn a_plain_ckan_is_not_taken_for_an_adc() {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    let body = serde_json::json!({
        "success": true,
        "result": {
            "site_title": "CKAN", "site_url": base, "ckan_version": "2.11.6", "locale_default": "en",
            "extensions": ["activity", "scheming_datasets"]
        }
    })
    .to_string();
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let listener = server.try_clone().unwrap();
    let answered = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        stream.write_all(answer.as_bytes()).unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });

    let client = AdcClient::new(&base, None).unwrap();
    let err = load_live_schema(&client).await.expect_err("a plain CKAN is no ADC");
    let request = answered.join().unwrap();
    assert!(request.starts_with("GET /api/3/action/status_show "), "{request}");
    assert!(
        matches!(&err, AdcError::NotThaiGdc { host, ckan_version } if host == "127.0.0.1" && ckan_version.as_deref() == Some("2.11.6")),
        "{err:?}"
    );
    assert!(!err.is_retryable(), "asking again will not make it an ADC");
    let message = err.to_user_message();
    assert_eq!(message.code, "adc.not_thai_gdc");
    assert!(message.message.th.contains("thai_gdc") && message.message.th.contains("127.0.0.1"));
    server.set_nonblocking(true).unwrap();
    assert!(
        matches!(server.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "the schema is not asked of a server that is not an ADC"
    );
}
