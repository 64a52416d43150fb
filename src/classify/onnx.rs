//! The default engine: ONNX Runtime through the `ort` crate, loaded at run time from the
//! shared library that `scripts/setup` unpacks from the PyPI `onnxruntime` wheel.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;
use rayon::prelude::*;

use super::{Batch, ClassifyError, Logits};

/// Where `scripts/setup` puts the runtime, relative to the repository root.
const RUNTIME_DIR: &str = ".runtime/onnxruntime/lib";

/// Finds libonnxruntime: `ORT_DYLIB_PATH` if set, else the folder `scripts/setup` fills.
pub fn find_runtime() -> Result<PathBuf, ClassifyError> {
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH") {
        return Ok(PathBuf::from(p));
    }
    let dir = super::model::find_in_repo(Path::new(RUNTIME_DIR)).ok_or_else(|| {
        ClassifyError::Runtime(format!(
            "ONNX Runtime library not found in {RUNTIME_DIR}: run scripts/setup (or set ORT_DYLIB_PATH)"
        ))
    })?;
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| ClassifyError::Runtime(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("libonnxruntime.so")
                    || n.starts_with("libonnxruntime.") && n.ends_with(".dylib")
            })
        })
        .collect();
    candidates.sort();
    candidates.into_iter().next().ok_or_else(|| {
        ClassifyError::Runtime(format!(
            "no libonnxruntime in {}: run scripts/setup",
            dir.display()
        ))
    })
}

/// Loads the runtime once per process. Checks that the file is a loadable ONNX Runtime
/// first, because `ort` panics on a bad library.
fn init_runtime() -> Result<(), ClassifyError> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        let path = find_runtime().map_err(|e| e.to_string())?;
        // SAFETY: loading a shared library runs its initialisers; this is the library the
        // user or scripts/setup put there for exactly this purpose.
        let lib = unsafe { libloading::Library::new(&path) }.map_err(|e| {
            format!(
                "cannot load ONNX Runtime from {}: {e}; run scripts/setup",
                path.display()
            )
        })?;
        // SAFETY: only looks the symbol up, never calls it.
        unsafe { lib.get::<unsafe extern "C" fn()>(b"OrtGetApiBase\0") }.map_err(|_| {
            format!(
                "{} is not an ONNX Runtime library (no OrtGetApiBase)",
                path.display()
            )
        })?;
        ort::init_from(path.display().to_string())
            .with_name("stancemap")
            .commit()
            .map_err(|e| format!("initialising ONNX Runtime from {}: {e}", path.display()))?;
        Ok(())
    })
    .clone()
    .map_err(ClassifyError::Runtime)
}

/// A pool of ONNX Runtime sessions, one per worker thread, each single-threaded: batches run
/// in parallel instead of splitting each small matrix product across threads.
pub struct OnnxEngine {
    sessions: Vec<Mutex<Session>>,
}

impl OnnxEngine {
    /// Opens `model.onnx` with `workers` sessions.
    pub fn load(model: &Path, workers: usize) -> Result<Self, ClassifyError> {
        init_runtime()?;
        let err = |e: ort::Error| ClassifyError::Model {
            path: model.display().to_string(),
            msg: e.to_string(),
        };
        let bytes = std::fs::read(model).map_err(|e| ClassifyError::Model {
            path: model.display().to_string(),
            msg: e.to_string(),
        })?;
        // Sessions are built in parallel: graph optimisation is most of the start-up time.
        let sessions = (0..workers.max(1))
            .into_par_iter()
            .map(|_| {
                Session::builder()?
                    .with_optimization_level(GraphOptimizationLevel::Level3)?
                    .with_intra_threads(1)?
                    .with_inter_threads(1)?
                    .commit_from_memory(&bytes)
                    .map(Mutex::new)
            })
            .collect::<Result<Vec<_>, ort::Error>>()
            .map_err(err)?;
        Ok(OnnxEngine { sessions })
    }

    /// Runs one padded batch on the session of the calling worker.
    pub fn run(&self, batch: &Batch) -> Result<Vec<Logits>, ClassifyError> {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.sessions.len();
        let mut session = self.sessions[slot].lock().map_err(|_| {
            ClassifyError::Runtime("a worker panicked while holding a session".into())
        })?;
        let shape = [batch.rows as i64, batch.cols as i64];
        let rt = |e: ort::Error| ClassifyError::Runtime(e.to_string());
        let inputs = ort::inputs![
            "input_ids" => Tensor::from_array((shape, batch.ids.clone())).map_err(rt)?,
            "attention_mask" => Tensor::from_array((shape, batch.mask.clone())).map_err(rt)?,
            "token_type_ids" => Tensor::from_array((shape, batch.type_ids.clone())).map_err(rt)?,
        ];
        let outputs = session.run(inputs).map_err(rt)?;
        let (out_shape, data) = outputs["logits"].try_extract_tensor::<f32>().map_err(rt)?;
        if out_shape.len() != 2 || out_shape[0] as usize != batch.rows || out_shape[1] != 4 {
            return Err(ClassifyError::Runtime(format!(
                "model returned logits of shape {out_shape:?}, expected [{}, 4]",
                batch.rows
            )));
        }
        Ok(data
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect())
    }
}
