//! Write-to-temp-then-rename files.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file written under `NAME.tmp` and renamed to `NAME` by [`AtomicFile::commit`].
/// Dropped without commit, the temporary file stays: `--resume` continues from it.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    writer: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    /// The temporary name of `dest`: `dest.tmp`.
    pub fn tmp_path(dest: &Path) -> PathBuf {
        let mut tmp = dest.as_os_str().to_owned();
        tmp.push(".tmp");
        PathBuf::from(tmp)
    }

    /// Creates `dest`'s temporary file (truncating any left over from a crash).
    pub fn create(dest: &Path) -> io::Result<Self> {
        let tmp = Self::tmp_path(dest);
        let file = fs::File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Opens an existing temporary file to append to it (used by `--resume`).
    pub fn append(dest: &Path, tmp: PathBuf) -> io::Result<Self> {
        let file = fs::OpenOptions::new().append(true).open(&tmp)?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Flushes, syncs and renames into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.writer.take() {
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        fs::rename(&self.tmp, &self.dest)
    }

    /// Flushes buffered bytes and syncs them to disk, without renaming.
    pub fn checkpoint(&mut self) -> io::Result<()> {
        if let Some(w) = self.writer.as_mut() {
            w.flush()?;
            w.get_ref().sync_data()?;
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}
