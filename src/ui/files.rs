//! Files in the browser: saving text as a download, reading a chosen file as text.

/// Saves `text` as a file named `name` through the browser.
pub fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The text of the file chosen in the `<input type="file">` that fired `ev` (UTF-8), and
/// clears the input so that choosing the same file again fires again.
pub async fn chosen_text(ev: &leptos::ev::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = gloo_file::File::from(input.files()?.get(0)?);
    input.set_value("");
    gloo_file::futures::read_as_text(&file).await.ok()
}

/// Shrinks a picture in the browser to JPEG (longest side `side` px, quality 72 %), as
/// (base64, width, height): a photo of several MB becomes a few hundred KB before it is sent.
pub async fn shrink_jpeg(file: web_sys::File, side: f64) -> Result<(String, u32, u32), String> {
    use wasm_bindgen::{JsCast, JsValue};
    let fail = |_| "That photo couldn't be read; try again.".to_string();
    let window = web_sys::window().ok_or("No window")?;
    let promise = window.create_image_bitmap_with_blob(&file).map_err(fail)?;
    let bitmap: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "That file is not a picture.".to_string())?;
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    let scale = (side / w.max(h)).min(1.0);
    let (tw, th) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|c| c.dyn_into().ok())
        .ok_or("No canvas")?;
    canvas.set_width(tw as u32);
    canvas.set_height(th as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("No canvas")?;
    // A JPEG has no transparency: a logo's transparent parts become white, not black.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, tw, th);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw, th)
        .map_err(fail)?;
    bitmap.close();
    let url = canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.72))
        .map_err(fail)?;
    let base64 = url
        .strip_prefix("data:image/jpeg;base64,")
        .ok_or("This browser can't make JPEGs")?
        .to_string();
    Ok((base64, tw as u32, th as u32))
}

/// The first file chosen in the `<input type="file">` that fired `ev`; clears the input.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}
