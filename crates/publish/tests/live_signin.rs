//! Signing in through the test CKAN's web login with the editor's user name, password and authenticator
//! code (filled from the TOTP secret kept in the secret store) creates a working API token, which is kept
//! in the secret store only; a wrong password, a wrong or missing code, and a login page of another shape
//! each give their own message. Needs `CATALOG_TEST_CKAN_ENV`.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use catalog_adc::{AdcClient, AdcError, SignIn};
use catalog_error::ToUserMessage;
use catalog_publish::secrets::{token_name, totp_code_at};
use catalog_publish::{MemoryStore, Secrets};
use support::{Desk, Lab};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn sign_in_as<'a>(lab: &'a Lab, token_name: &'a str, password: &'a str, code: Option<&'a str>) -> SignIn<'a> {
    SignIn {
        login: &lab.editor_user,
        password,
        code,
        token_name,
    }
}

#[tokio::test]
async fn sign_in_with_password_and_authenticator_code_creates_a_kept_token() {
    let lab = Lab::get();
    let desk = Desk::new();
    let secrets = Secrets::new(Box::<MemoryStore>::default());
    let name = token_name();
    let request = |password, code| sign_in_as(&lab, &name, password, code);

    let wrong = AdcClient::sign_in(&lab.url, &request("not-the-password", None)).await;
    assert!(matches!(wrong, Err(AdcError::SignInRejected)), "{wrong:?}");
    let no_code = AdcClient::sign_in(&lab.url, &request(lab.password(), None)).await;
    assert!(matches!(no_code, Err(AdcError::SignInCodeNeeded)), "{no_code:?}");
    let bad_code = AdcClient::sign_in(&lab.url, &request(lab.password(), Some("000000"))).await;
    let err = bad_code.expect_err("a wrong code is refused");
    assert!(matches!(err, AdcError::SignInCodeRejected), "{err:?}");
    lab.assert_no_secret(&format!("{err:?} {err} {:?}", err.to_user_message()));

    secrets
        .save_totp_secret(&lab.url, &lab.editor_user, lab.totp_secret())
        .unwrap();
    let mut token = None;
    for _ in 0..2 {
        let code = secrets
            .totp_code(&lab.url, &lab.editor_user)
            .unwrap()
            .expect("kept secret");
        assert_eq!(code, totp_code_at(lab.totp_secret(), now()).unwrap());
        match AdcClient::sign_in(&lab.url, &sign_in_as(&lab, &name, lab.password(), Some(&code))).await {
            Ok(t) => {
                token = Some(t);
                break;
            }
            // Each code is accepted once: another sign-in in this 30-second step used it. Next step.
            Err(AdcError::SignInCodeRejected) => tokio::time::sleep(Duration::from_secs(31 - now() % 30)).await,
            Err(e) => panic!("sign-in failed: {e:?}"),
        }
    }
    let token = token.expect("signed in");
    lab.assert_no_secret(&format!("{token:?} {token}"));
    secrets.save_token(&lab.url, &token).unwrap();
    let client = secrets.client(&lab.url).unwrap();
    let orgs = client.organization_list_for_user().await.expect("the new token works");
    assert!(orgs.iter().any(|o| o.id == lab.org_id), "{orgs:?}");
    assert_eq!(secrets.token(&lab.url).unwrap(), Some(token));
    lab.assert_no_secret_in_files(&desk.root);
}

#[tokio::test]
async fn a_login_page_of_another_shape_asks_to_paste_a_token() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = "<html><body><a href=\"/sso\">Sign in with ThaiD</a></body></html>";
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    let request = SignIn {
        login: "someone",
        password: "pass",
        code: Some("123456"),
        token_name: "Catalog Desk",
    };
    let err = AdcClient::sign_in(&url, &request).await.expect_err("no login form");
    assert!(matches!(err, AdcError::SignInUnsupported { .. }), "{err:?}");
    let msg = err.to_user_message();
    assert_eq!(msg.code, "adc.signin_unsupported");
    assert!(
        msg.message.th.contains("API token") && msg.message.en.contains("Paste an API token"),
        "{msg:?}"
    );
}
