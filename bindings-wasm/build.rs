// Exports the wasm shadow-stack pointer (`__stack_pointer`): a trap (a Rust panic aborts)
// unwinds nothing, so the frames live at the time stay allocated; the JS driver puts the
// pointer back when it recovers (js/client.js, `recover`), or a few thousand traps would
// exhaust the stack.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-cdylib-link-arg=--export=__stack_pointer");
    }
}
