//! Word clusters for the entity tagger: words that occur in similar contexts share a cluster,
//! so that a name the annotated sentences never show ("Tangiers") borrows the evidence of names
//! they do show ("Cairo"), as in Turian et al. (2010) and Ratinov & Roth (2009).
//!
//! Clusters are learned from plain text by [`build`]: each word's contexts (the words two before
//! to two after it, by position) are counted, weighted by positive pointwise mutual information,
//! reduced to [`DIMENSIONS`] dimensions by a randomized singular value decomposition (Halko et
//! al. 2011), and grouped by spherical k-means at three granularities ([`GRANULARITIES`]), which
//! play the part of the prefixes of a Brown cluster path.
//!
//! **Invariant:** [`build`] is deterministic: the same text gives the same clusters, because
//! every random draw comes from a seeded generator and every loop runs in a fixed order on one
//! thread.

use super::features::lower_key;
use crate::nlp::hash::Rng;
use crate::segment::segment;
use rustc_hash::FxHashMap;

/// Clusters per granularity, coarse to fine.
pub const GRANULARITIES: [usize; 3] = [64, 256, 1024];
/// Dimensions of the word vectors that are clustered.
const DIMENSIONS: usize = 100;
/// Extra dimensions drawn by the randomized decomposition, and its power iterations: what makes
/// the leading dimensions accurate (Halko et al. 2011, section 4).
const OVERSAMPLE: usize = 10;
const POWER_ITERATIONS: usize = 2;
/// The most frequent words serve as contexts.
const CONTEXT_WORDS: usize = 6000;
/// A word seen once has no reliable contexts; worse, in the annotated text it would get a
/// cluster of its own that the tagger learns as a stand-in for the word (measured with a
/// prototype: 2 to 3 points of F1 lost on Universal NER EWT test when singletons were clustered).
const MIN_COUNT: u32 = 2;
const KMEANS_ITERATIONS: usize = 15;

/// Each clustered word (lowercased, digits folded) with its cluster at each granularity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordClusters {
    pub words: Vec<(String, [u16; 3])>,
}

impl WordClusters {
    /// The clusters by word key ([`lower_key`]), as the tagger looks them up.
    pub(crate) fn by_key(&self) -> FxHashMap<u64, [u16; 3]> {
        self.words.iter().map(|(word, ids)| (lower_key(word), *ids)).collect()
    }

    /// One line per word: the word and its three clusters, tab-separated.
    pub fn to_tsv(&self) -> String {
        let mut out = String::new();
        for (word, [a, b, c]) in &self.words {
            out.push_str(&format!("{word}\t{a}\t{b}\t{c}\n"));
        }
        out
    }

    /// Reads [`WordClusters::to_tsv`]; a bad line is an error naming it.
    pub fn from_tsv(text: &str, name: &str) -> crate::error::Result<WordClusters> {
        let mut words = Vec::new();
        for (idx, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let ids: Option<Vec<u16>> =
                fields.get(1..).map(|ids| ids.iter().filter_map(|id| id.parse().ok()).collect());
            match (fields.len(), ids.as_deref()) {
                (4, Some(&[a, b, c])) => words.push((fields[0].to_string(), [a, b, c])),
                _ => {
                    return Err(super::model_error(format!(
                        "{name}:{}: expected WORD<TAB>CLUSTER<TAB>CLUSTER<TAB>CLUSTER",
                        idx + 1
                    )))
                }
            }
        }
        Ok(WordClusters { words })
    }
}

/// [`build`] gives no clusters for fewer distinct words (seen at least twice) than this.
pub const MIN_VOCABULARY: usize = 2 * GRANULARITIES[2];

/// Clusters the words of `texts` (each a document of plain text); none if the text has fewer
/// than [`MIN_VOCABULARY`] words seen at least twice.
pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>) -> WordClusters {
    build_shaped(texts, DIMENSIONS, GRANULARITIES)
}

/// [`build`] with other dimensions and granularities (small ones keep the tests fast).
fn build_shaped<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    dimensions: usize,
    granularities: [usize; 3],
) -> WordClusters {
    let sentences = tokenized(texts);
    let vocabulary = vocabulary(&sentences);
    // Twice as many words as clusters, so that clusters are groups (MIN_VOCABULARY for `build`).
    if vocabulary.len() < (2 * granularities[2]).max(dimensions + OVERSAMPLE) {
        return WordClusters::default();
    }
    let index: FxHashMap<&str, u32> = vocabulary.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
    let ids: Vec<Vec<Option<u32>>> =
        sentences.iter().map(|words| words.iter().map(|w| index.get(w.as_str()).copied()).collect()).collect();
    let matrix = ppmi(&ids, vocabulary.len());
    let vectors = embed(&matrix, dimensions);
    let labels: Vec<Vec<u16>> = granularities.iter().map(|&k| kmeans(&vectors, dimensions, k)).collect();
    let words = vocabulary
        .into_iter()
        .enumerate()
        .map(|(i, word)| (word, [labels[0][i], labels[1][i], labels[2][i]]))
        .collect();
    WordClusters { words }
}

/// The sentences of the texts as normalized words (lowercase, digits as `0`).
fn tokenized<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for text in texts {
        for sentence in segment(text) {
            let words: Vec<String> = sentence
                .tokens
                .iter()
                .filter_map(|token| text.get(token.span.range()))
                .map(super::features::lower_form)
                .collect();
            if !words.is_empty() {
                out.push(words);
            }
        }
    }
    out
}

/// Words seen at least [`MIN_COUNT`] times, most frequent first (ties alphabetical).
fn vocabulary(sentences: &[Vec<String>]) -> Vec<String> {
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    for word in sentences.iter().flatten() {
        *counts.entry(word.as_str()).or_default() += 1;
    }
    let mut words: Vec<(&str, u32)> = counts.into_iter().filter(|&(_, n)| n >= MIN_COUNT).collect();
    words.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    words.into_iter().map(|(w, _)| w.to_string()).collect()
}

/// A sparse matrix in compressed rows: row `r` holds `cols[starts[r]..starts[r + 1]]`.
struct Sparse {
    n_cols: usize,
    starts: Vec<usize>,
    cols: Vec<u32>,
    values: Vec<f64>,
}

impl Sparse {
    /// `self * dense`, `dense` being `n_cols` rows of `width` (row-major).
    fn times(&self, dense: &[f64], width: usize) -> Vec<f64> {
        let n_rows = self.starts.len() - 1;
        let mut out = vec![0.0; n_rows * width];
        for r in 0..n_rows {
            let row = &mut out[r * width..(r + 1) * width];
            for k in self.starts[r]..self.starts[r + 1] {
                let (c, v) = (self.cols[k] as usize, self.values[k]);
                for (o, d) in row.iter_mut().zip(&dense[c * width..(c + 1) * width]) {
                    *o += v * d;
                }
            }
        }
        out
    }

    /// `selfᵀ * dense`, `dense` being one row of `width` per row of `self`.
    fn transposed_times(&self, dense: &[f64], width: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.n_cols * width];
        for r in 0..self.starts.len() - 1 {
            let source = &dense[r * width..(r + 1) * width];
            for k in self.starts[r]..self.starts[r + 1] {
                let (c, v) = (self.cols[k] as usize, self.values[k]);
                for (o, d) in out[c * width..(c + 1) * width].iter_mut().zip(source) {
                    *o += v * d;
                }
            }
        }
        out
    }
}

/// Positive pointwise mutual information between each word (row) and each context: one of the
/// [`CONTEXT_WORDS`] most frequent words at offset -2, -1, +1 or +2. Context probabilities are
/// smoothed with the exponent 0.75, which keeps rare contexts from dominating (Levy et al. 2015).
fn ppmi(ids: &[Vec<Option<u32>>], n_words: usize) -> Sparse {
    const OFFSETS: [isize; 4] = [-2, -1, 1, 2];
    let n_contexts = CONTEXT_WORDS.min(n_words);
    let mut counts: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    for sentence in ids {
        for (i, word) in sentence.iter().enumerate() {
            let Some(word) = *word else { continue };
            for (slot, offset) in OFFSETS.iter().enumerate() {
                let Some(Some(context)) = i.checked_add_signed(*offset).and_then(|j| sentence.get(j)) else {
                    continue;
                };
                if (*context as usize) < n_contexts {
                    *counts.entry((word, slot as u32 * n_contexts as u32 + context)).or_default() += 1.0;
                }
            }
        }
    }
    let mut entries: Vec<((u32, u32), f64)> = counts.into_iter().collect();
    entries.sort_unstable_by_key(|&(key, _)| key);
    let n_cols = OFFSETS.len() * n_contexts;
    let mut row_sums = vec![0.0; n_words];
    let mut col_sums = vec![0.0; n_cols];
    let mut total = 0.0;
    for &((r, c), n) in &entries {
        row_sums[r as usize] += n;
        col_sums[c as usize] += n;
        total += n;
    }
    let smoothed: Vec<f64> = col_sums.iter().map(|n: &f64| n.powf(0.75)).collect();
    let smoothed_total: f64 = smoothed.iter().sum();
    let mut matrix = Sparse { n_cols, starts: vec![0; n_words + 1], cols: Vec::new(), values: Vec::new() };
    for &((r, c), n) in &entries {
        let pmi = ((n / total) / ((row_sums[r as usize] / total) * (smoothed[c as usize] / smoothed_total))).ln();
        if pmi > 0.0 {
            matrix.cols.push(c);
            matrix.values.push(pmi);
            matrix.starts[r as usize + 1] = matrix.cols.len();
        }
    }
    // Rows without entries start where the previous one ended.
    for r in 1..=n_words {
        matrix.starts[r] = matrix.starts[r].max(matrix.starts[r - 1]);
    }
    matrix
}

/// Unit-length word vectors of `dimensions`: the leading left singular vectors of `matrix`,
/// scaled by the square root of their singular values (a weighting that does better than the
/// plain vectors for word similarity, Levy et al. 2015).
fn embed(matrix: &Sparse, dimensions: usize) -> Vec<f32> {
    let n_rows = matrix.starts.len() - 1;
    let width = dimensions + OVERSAMPLE;
    let mut rng = Rng::new(7);
    let omega: Vec<f64> = (0..matrix.n_cols * width).map(|_| gaussian(&mut rng)).collect();
    let mut q = matrix.times(&omega, width);
    orthonormalize(&mut q, n_rows, width);
    for _ in 0..POWER_ITERATIONS {
        let mut z = matrix.transposed_times(&q, width);
        orthonormalize(&mut z, matrix.n_cols, width);
        q = matrix.times(&z, width);
        orthonormalize(&mut q, n_rows, width);
    }
    // B = Qᵀ M; the eigenvectors of B Bᵀ = Zᵀ Z (Z = Mᵀ Q) turn Q into M's left singular
    // vectors, and its eigenvalues are the squared singular values.
    let z = matrix.transposed_times(&q, width);
    let mut gram = vec![0.0; width * width];
    for row in z.chunks_exact(width) {
        for a in 0..width {
            for b in a..width {
                gram[a * width + b] += row[a] * row[b];
            }
        }
    }
    for a in 0..width {
        for b in 0..a {
            gram[a * width + b] = gram[b * width + a];
        }
    }
    let (values, vectors) = symmetric_eigen(gram, width);
    let mut order: Vec<usize> = (0..width).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut out = vec![0f32; n_rows * dimensions];
    for r in 0..n_rows {
        let source = &q[r * width..(r + 1) * width];
        let target = &mut out[r * dimensions..(r + 1) * dimensions];
        for (d, &k) in order.iter().take(dimensions).enumerate() {
            let dot: f64 = source.iter().enumerate().map(|(j, s)| s * vectors[j * width + k]).sum();
            target[d] = (dot * values[k].max(0.0).powf(0.25)) as f32;
        }
        let norm = target.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            target.iter_mut().for_each(|v| *v /= norm);
        }
    }
    out
}

/// A standard normal draw (Box-Muller).
fn gaussian(rng: &mut Rng) -> f64 {
    let u = rng.unit().max(f64::MIN_POSITIVE);
    let v = rng.unit();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Makes the `width` columns of a row-major `n_rows x width` matrix orthonormal (modified
/// Gram-Schmidt, twice, which is as accurate as Householder for this purpose).
fn orthonormalize(m: &mut [f64], n_rows: usize, width: usize) {
    for _ in 0..2 {
        for j in 0..width {
            for i in 0..j {
                let dot: f64 = (0..n_rows).map(|r| m[r * width + i] * m[r * width + j]).sum();
                for r in 0..n_rows {
                    m[r * width + j] -= dot * m[r * width + i];
                }
            }
            let norm = (0..n_rows).map(|r| m[r * width + j].powi(2)).sum::<f64>().sqrt();
            for r in 0..n_rows {
                m[r * width + j] = if norm > 1e-12 { m[r * width + j] / norm } else { 0.0 };
            }
        }
    }
}

/// Eigenvalues and eigenvectors (columns of the row-major result) of a symmetric matrix, by
/// cyclic Jacobi rotations.
fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    for _sweep in 0..50 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].powi(2))
            .sum();
        if off < 1e-18 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// Spherical k-means of unit vectors (rows of `dimensions`) into `k` clusters, started from `k`
/// distinct vectors drawn with a fixed seed; ties go to the lower cluster.
fn kmeans(vectors: &[f32], dimensions: usize, k: usize) -> Vec<u16> {
    let n = vectors.len() / dimensions;
    let row = |i: usize| &vectors[i * dimensions..(i + 1) * dimensions];
    let mut rng = Rng::new(k as u64);
    let mut candidates: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut candidates);
    let mut centroids: Vec<f32> = candidates.iter().take(k).flat_map(|&i| row(i).iter().copied()).collect();
    let mut labels = vec![0u16; n];
    for _ in 0..KMEANS_ITERATIONS {
        for (i, label) in labels.iter_mut().enumerate() {
            let v = row(i);
            let mut best = (0usize, f32::NEG_INFINITY);
            for (c, centroid) in centroids.chunks_exact(dimensions).enumerate() {
                let dot: f32 = centroid.iter().zip(v).map(|(a, b)| a * b).sum();
                if dot > best.1 {
                    best = (c, dot);
                }
            }
            *label = best.0 as u16;
        }
        let mut sums = vec![0f32; k * dimensions];
        for (i, &label) in labels.iter().enumerate() {
            for (s, v) in sums[usize::from(label) * dimensions..][..dimensions].iter_mut().zip(row(i)) {
                *s += v;
            }
        }
        for (centroid, sum) in centroids.chunks_exact_mut(dimensions).zip(sums.chunks_exact(dimensions)) {
            let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
            // An empty cluster keeps its centroid.
            if norm > 0.0 {
                centroid.iter_mut().zip(sum).for_each(|(c, s)| *c = s / norm);
            }
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_decomposes_a_small_symmetric_matrix() {
        let (values, vectors) = symmetric_eigen(vec![2.0, 1.0, 1.0, 2.0], 2);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        assert!((sorted[0] - 1.0).abs() < 1e-9 && (sorted[1] - 3.0).abs() < 1e-9);
        // Each column is a unit eigenvector: A v = λ v.
        for k in 0..2 {
            let (x, y) = (vectors[k], vectors[2 + k]);
            assert!((2.0 * x + y - values[k] * x).abs() < 1e-9);
            assert!((x * x + y * y - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn words_in_the_same_contexts_share_clusters_deterministically() {
        // Cities and weekdays each fill their own slots in otherwise varied sentences.
        let cities = ["paris", "london", "cairo", "lima", "oslo", "rome", "delhi", "tokyo"];
        let days = ["monday", "tuesday", "friday", "sunday", "saturday", "thursday"];
        let mut text = String::new();
        for i in 0..3000 {
            let city = cities[i % cities.len()];
            let day = days[(i * 7) % days.len()];
            text.push_str(&format!("Word{} flew to {city} on {day} with item{} . ", i % 1500, (i * 13) % 1400));
            text.push_str(&format!("In {city} , rain fell until {day} near place{} . ", (i * 3) % 1300));
        }
        let clusters = build_shaped([text.as_str()], 8, [2, 4, 8]);
        let again = build_shaped([text.as_str()], 8, [2, 4, 8]);
        assert_eq!(clusters, again);
        let of = |word: &str| clusters.words.iter().find(|(w, _)| w == word).map(|(_, ids)| ids[0]).unwrap();
        assert!(cities.iter().all(|c| of(c) == of("paris")));
        assert!(days.iter().all(|d| of(d) == of("monday")));
        assert_ne!(of("paris"), of("monday"));
        let parsed = WordClusters::from_tsv(&clusters.to_tsv(), "t").unwrap();
        assert_eq!(parsed, clusters);
        assert!(WordClusters::from_tsv("paris\t1\t2\n", "t").is_err());
    }
}
