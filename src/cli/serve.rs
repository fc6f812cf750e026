//! Arguments of `parafind serve`: where to listen, the token, CORS, and watching.

use std::net::IpAddr;
use std::time::Duration;

use clap::Args;

use crate::serve::ServeOptions;

pub(super) const SERVE_HELP: &str = "\
Examples:
  parafind serve                          http://127.0.0.1:7700/ : the search page, and the API
  curl 'http://127.0.0.1:7700/search?q=Pyongyang&n=3'     the records of `search --json`
  parafind serve --watch                  also re-index files as they change
  PARAFIND_TOKEN=s3cret parafind serve --bind 0.0.0.0     reachable from other machines

Endpoints (docs/http.md): GET /search?q=..&n=&offset=&exact=&any=&literal=&path=&context=
&max_chars=, POST /batch (a body of queries, one per line, as --batch reads), GET /stats,
GET /files, GET /show?path=..&paragraph=..&context=, GET /healthz, GET / (the page).
Searches see each new commit (an ingest, a refresh) without a restart.";

/// Arguments of `parafind serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; any but loopback (127.0.0.1, ::1) needs --token
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// The port to listen on (0: any free port, printed at start)
    #[arg(long, value_name = "N", default_value_t = 7700)]
    pub port: u16,

    /// Require `Authorization: Bearer TOKEN` on every API request
    #[arg(
        long,
        value_name = "TOKEN",
        env = "PARAFIND_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// Let pages of ORIGIN (https://host[:port]) call the API from a browser (CORS); off by
    /// default
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,

    /// Also keep the index in step with its directories as files change (as `watch` does)
    #[arg(long)]
    pub watch: bool,

    /// Close a connection whose client takes longer than SECS to send a request's headers (also
    /// the next request's, on a kept-alive connection)
    #[arg(long, value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub client_timeout: u64,

    /// Give up on a request after SECS: receiving a batch, or answering (a batch is cut short
    /// with an error record)
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,
}

impl ServeArgs {
    /// The server's options.
    pub fn options(&self) -> ServeOptions {
        ServeOptions {
            bind: self.bind,
            port: self.port,
            token: self.token.clone(),
            cors: self.cors.clone(),
            watch: self.watch,
            client_time: Duration::from_secs(self.client_timeout),
            request_time: Duration::from_secs(self.request_timeout),
        }
    }
}
