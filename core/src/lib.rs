//! # degreed
//!
//! The sans-IO core of the Degreed REST API SDK. It builds token and API requests as plain
//! [`http::Request`] values, parses [`http::Response`] values, and holds every policy (token
//! caching and refresh, retries with back-off, pacing under rate limits, pagination, scope
//! checks) as state machines that tell a driver what to do. It opens no socket, reads no
//! clock and never sleeps: time and randomness come in as arguments, so the same code runs
//! natively, in Python (through pyo3) and in browsers (through wasm-bindgen).
//!
//! The pieces:
//! - [`Config`]: environment × data center → token URL and API base URL;
//! - [`catalog`]: every operation with its method, path, scope and paging kind;
//! - [`ApiRequest`]: builds and checks a request for any operation;
//! - [`Session`] and [`Call`]: the state machine a driver loops over;
//! - [`Pager`]: walks pages and date windows;
//! - [`models`]: typed, forgiving resources.

#![warn(missing_docs)]

pub mod call;
pub mod catalog;
pub mod config;
pub mod datetime;
pub mod error;
pub mod models;
pub mod paging;
pub mod ratelimit;
pub mod request;
pub mod response;
pub mod retry;
pub mod scope;
pub mod secret;
pub mod spec;
pub mod token;
pub mod window;

pub use call::{Call, Reply, Session, SessionOptions, Stats, Step};
pub use catalog::{operation, operations, Operation};
pub use config::{Config, DataCenter, Environment};
pub use datetime::{Date, Timestamp};
pub use error::{ApiError, Error, ErrorKind, ErrorObject};
pub use paging::{Page, Pager};
pub use ratelimit::{Pacer, RateLimit};
pub use request::ApiRequest;
pub use retry::{Failure, RetryPolicy};
pub use scope::{minimal_scopes, Access, Scope, ScopeSet};
pub use secret::{AccessToken, ClientSecret, Credentials};
pub use token::Token;
