//! The token never leaves the ADC's origin: a redirect to another origin is refused before anything is sent
//! there. The test CKAN never redirects across origins, so this uses two bare loopback sockets: one answers
//! every request with a fixed 302, the other only records whether anyone connected.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use catalog_adc::{AdcClient, AdcError, ApiToken};
use catalog_error::ToUserMessage;

const SECRET: &str = "secret-token-that-must-stay-home";

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_gets_no_token() {
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let target = format!("http://{}/api/3/action/status_show", elsewhere.local_addr().unwrap());

    let adc = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", adc.local_addr().unwrap());
    let answer = format!("HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let server = thread::spawn(move || {
        let (mut stream, _) = adc.accept().unwrap();
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

    let client = AdcClient::new(&base, Some(ApiToken::new(SECRET).unwrap())).unwrap();
    let err = client.status_show().await.expect_err("the redirect is not followed");
    let request = server.join().unwrap();
    assert!(
        request.contains(&format!("authorization: {SECRET}\r\n")),
        "the ADC itself gets the raw token, no Bearer: {request}"
    );
    assert!(
        matches!(&err, AdcError::Redirected { location, .. } if *location == target),
        "{err:?}"
    );
    assert_eq!(err.to_user_message().code, "adc.redirected");
    assert!(!format!("{err:?} {err} {:?}", err.to_user_message()).contains(SECRET));
    assert!(
        matches!(elsewhere.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "nothing may connect to the other origin"
    );
}
