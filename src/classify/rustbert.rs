//! The second engine: rust-bert's BERT sequence classifier on libtorch, loading the same
//! fine-tuned weights from `model.safetensors`.

use std::path::Path;
use std::sync::Mutex;

use rust_bert::bert::{BertConfig, BertForSequenceClassification};
use rust_bert::Config;
use tch::{nn, Device, Kind, Tensor};

use super::{Batch, ClassifyError, Logits};

/// A BERT classifier on the CPU. libtorch runs one forward at a time here; its own
/// intra-op pool uses the run's thread count.
pub struct RustBertEngine {
    model: Mutex<(nn::VarStore, BertForSequenceClassification)>,
}

impl RustBertEngine {
    /// Loads config.json and model.safetensors from `dir`.
    pub fn load(dir: &Path, threads: usize) -> Result<Self, ClassifyError> {
        let model_err = |path: &Path, msg: String| ClassifyError::Model {
            path: path.display().to_string(),
            msg,
        };
        tch::set_num_threads(threads.max(1) as i32);
        let config_path = dir.join("config.json");
        let config = BertConfig::from_file(&config_path);
        let weights = dir.join("model.safetensors");
        let mut vs = nn::VarStore::new(Device::Cpu);
        let model = BertForSequenceClassification::new(vs.root(), &config)
            .map_err(|e| model_err(&config_path, e.to_string()))?;
        vs.load(&weights)
            .map_err(|e| model_err(&weights, e.to_string()))?;
        vs.float();
        Ok(RustBertEngine {
            model: Mutex::new((vs, model)),
        })
    }

    /// Runs one padded batch.
    pub fn run(&self, batch: &Batch) -> Result<Vec<Logits>, ClassifyError> {
        let guard = self.model.lock().map_err(|_| {
            ClassifyError::Runtime("a worker panicked while holding the model".into())
        })?;
        let (_, model) = &*guard;
        let shape = [batch.rows as i64, batch.cols as i64];
        let ids = Tensor::from_slice(&batch.ids).view(shape);
        let mask = Tensor::from_slice(&batch.mask).view(shape);
        let types = Tensor::from_slice(&batch.type_ids).view(shape);
        let out = tch::no_grad(|| {
            model.forward_t(Some(&ids), Some(&mask), Some(&types), None, None, false)
        });
        let logits = out.logits.to_kind(Kind::Float).contiguous();
        let flat: Vec<f32> = Vec::<f32>::try_from(logits.view([-1]))
            .map_err(|e| ClassifyError::Runtime(e.to_string()))?;
        if flat.len() != batch.rows * 4 {
            return Err(ClassifyError::Runtime(format!(
                "rust-bert returned {} logits for {} inputs",
                flat.len(),
                batch.rows
            )));
        }
        Ok(flat
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect())
    }
}
