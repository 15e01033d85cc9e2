//! A boosted tree ensemble kept as plain arrays, scored without walking any tree.
//!
//! Port of `spindetect.trees`. Every tree's nodes sit in shared arrays; a node either splits
//! (go to `left` when the row's `feature` is at most `threshold`, or is missing (NaN) and
//! `missing_left` holds; else to `right`) or is a leaf (`left` is -1) whose `value` adds to the
//! row's score. The score is `baseline` plus one leaf value per tree.
//!
//! Scoring (the QuickScorer idea, as in Python): a tree's leaves are numbered left to right,
//! one bit each; a split that sends a row right rules out every leaf under its left child, and
//! the row's exit leaf is the leftmost leaf no split ruled out. Per feature, the splits that
//! send a row right are those whose threshold is below the row's value, so each feature keeps
//! its sorted thresholds and, for each count of thresholds below, the AND of the masks those
//! splits apply to each tree (plus a row for a missing value). At most 64 leaves per tree.

use serde_json::Value;

use crate::numeric::pairwise_sum;
use crate::{Error, Result};

/// Most leaves one tree may have (one bit per leaf in a `u64`).
pub const MAX_LEAVES: usize = 64;

/// Sum-of-trees regression: `baseline + sum(leaf value of each tree)`.
#[derive(Debug, Clone)]
pub struct TreeEnsemble {
    features: usize,
    baseline: f64,
    trees: usize,
    /// Per feature: its split thresholds, ascending.
    thresholds: Vec<Vec<f64>>,
    /// Per feature: `(thresholds + 2) * trees` masks of the leaves still possible, row `k`
    /// after the `k` lowest thresholds sent the row right; the last row for a missing value.
    masks: Vec<Vec<u64>>,
    /// `trees * MAX_LEAVES`: the value of each tree's n-th leaf from the left.
    leaf_values: Vec<f64>,
}

/// The node arrays of the JSON form, before they are checked.
struct Nodes {
    roots: Vec<i64>,
    feature: Vec<i64>,
    threshold: Vec<f64>,
    missing_left: Vec<bool>,
    left: Vec<i64>,
    right: Vec<i64>,
    value: Vec<f64>,
}

impl TreeEnsemble {
    /// Check and load the dict form (`{"baseline", "roots", "feature", "threshold",
    /// "missing_left", "left", "right", "value"}`) of an ensemble over `features` columns.
    /// Refused (`Error::Model("tree ensemble: ...")`): missing or mistyped arrays, arrays of
    /// unequal length, no tree, a node pointing outside the ensemble or before its parent, a
    /// node with two parents (or a root with one), a node in no tree, a NaN threshold, a tree
    /// with more than [`MAX_LEAVES`] leaves.
    pub fn from_json_value(data: &Value, features: usize) -> Result<TreeEnsemble> {
        let nodes = Nodes::read(data)?;
        let baseline = data
            .get("baseline")
            .and_then(Value::as_f64)
            .ok_or_else(|| bad("baseline must be a number"))?;
        nodes.check(features)?;
        Ok(nodes.build(features, baseline))
    }

    /// Number of feature columns a row has.
    pub fn features(&self) -> usize {
        self.features
    }

    /// Number of trees.
    pub fn trees(&self) -> usize {
        self.trees
    }

    /// Score of one row (`features()` values; NaN for missing); `Error::Value` for a row of
    /// another length.
    pub fn decision_row(&self, row: &[f64]) -> Result<f64> {
        let mut possible = vec![u64::MAX; self.trees];
        let mut exits = vec![0.0; self.trees];
        self.check_row(row)?;
        Ok(self.score(row, &mut possible, &mut exits))
    }

    /// Score of each row of `rows`, row-major with `features()` columns; `Error::Value` if the
    /// length is not a multiple of it.
    pub fn decision(&self, rows: &[f64]) -> Result<Vec<f64>> {
        if self.features == 0 || !rows.len().is_multiple_of(self.features) {
            return Err(Error::Value(format!(
                "tree ensemble: {} values are not rows of {} features",
                rows.len(),
                self.features
            )));
        }
        let mut possible = vec![u64::MAX; self.trees];
        let mut exits = vec![0.0; self.trees];
        Ok(rows
            .chunks_exact(self.features)
            .map(|row| self.score(row, &mut possible, &mut exits))
            .collect())
    }

    fn check_row(&self, row: &[f64]) -> Result<()> {
        if row.len() != self.features {
            return Err(Error::Value(format!(
                "tree ensemble: a row of {} values, not {}",
                row.len(),
                self.features
            )));
        }
        Ok(())
    }

    /// `baseline` plus the row's exit-leaf value in every tree (summed as numpy does).
    fn score(&self, row: &[f64], possible: &mut [u64], exits: &mut [f64]) -> f64 {
        possible.fill(u64::MAX);
        for ((thresholds, masks), value) in self.thresholds.iter().zip(&self.masks).zip(row) {
            let at = if value.is_nan() {
                thresholds.len() + 1
            } else {
                thresholds.partition_point(|threshold| threshold < value)
            };
            let start = at * self.trees;
            if let Some(keep) = masks.get(start..start + self.trees) {
                for (bits, keep) in possible.iter_mut().zip(keep) {
                    *bits &= keep;
                }
            }
        }
        for (tree, (bits, exit)) in possible.iter().zip(exits.iter_mut()).enumerate() {
            let leaf = bits.trailing_zeros() as usize;
            *exit = self
                .leaf_values
                .get(tree * MAX_LEAVES + leaf)
                .copied()
                .unwrap_or(0.0);
        }
        self.baseline + pairwise_sum(exits)
    }
}

fn bad(what: &str) -> Error {
    Error::Model(format!("tree ensemble: {what}"))
}

fn int_list(data: &Value, key: &str) -> Result<Vec<i64>> {
    let list = data.get(key).and_then(Value::as_array);
    let list = list.ok_or_else(|| bad(&format!("{key} must be a list of integers")))?;
    list.iter()
        .map(|item| {
            item.as_i64()
                .ok_or_else(|| bad(&format!("{key} must be a list of integers")))
        })
        .collect()
}

fn float_list(data: &Value, key: &str) -> Result<Vec<f64>> {
    let list = data.get(key).and_then(Value::as_array);
    let list = list.ok_or_else(|| bad(&format!("{key} must be a list of numbers")))?;
    list.iter()
        .map(|item| {
            item.as_f64()
                .ok_or_else(|| bad(&format!("{key} must be a list of numbers")))
        })
        .collect()
}

fn bool_list(data: &Value, key: &str) -> Result<Vec<bool>> {
    let list = data.get(key).and_then(Value::as_array);
    let list = list.ok_or_else(|| bad(&format!("{key} must be a list of booleans")))?;
    list.iter()
        .map(|item| match item {
            Value::Bool(flag) => Ok(*flag),
            Value::Number(number) => Ok(number.as_f64().is_some_and(|n| n != 0.0)),
            _ => Err(bad(&format!("{key} must be a list of booleans"))),
        })
        .collect()
}

impl Nodes {
    fn read(data: &Value) -> Result<Nodes> {
        Ok(Nodes {
            roots: int_list(data, "roots")?,
            feature: int_list(data, "feature")?,
            threshold: float_list(data, "threshold")?,
            missing_left: bool_list(data, "missing_left")?,
            left: int_list(data, "left")?,
            right: int_list(data, "right")?,
            value: float_list(data, "value")?,
        })
    }

    fn is_split(&self, node: usize) -> bool {
        self.left[node] >= 0
    }

    /// The checks of Python's `TreeEnsemble.from_dict` and its leaf limit, plus: every node in
    /// a tree, no NaN threshold on a split.
    fn check(&self, features: usize) -> Result<()> {
        let size = self.feature.len();
        let lengths = [
            self.threshold.len(),
            self.missing_left.len(),
            self.left.len(),
            self.right.len(),
            self.value.len(),
        ];
        if lengths.iter().any(|length| *length != size) || self.roots.is_empty() {
            return Err(bad("node arrays of unequal length, or no tree"));
        }
        let inside = |node: i64| node >= 0 && (node as u64) < size as u64;
        let mut parents = vec![0u32; size];
        for root in &self.roots {
            if !inside(*root) {
                return Err(bad("a node points outside the ensemble"));
            }
            parents[*root as usize] += 1;
        }
        for node in (0..size).filter(|node| self.is_split(*node)) {
            let (left, right) = (self.left[node], self.right[node]);
            let feature = self.feature[node];
            if !inside(left) || !inside(right) || feature < 0 || feature as u64 >= features as u64 {
                return Err(bad("a node points outside the ensemble"));
            }
            if left as usize <= node || right as usize <= node {
                return Err(bad("a child must come after its parent"));
            }
            parents[left as usize] += 1;
            parents[right as usize] += 1;
            if self.threshold[node].is_nan() {
                return Err(bad("a split has a NaN threshold"));
            }
        }
        if parents.iter().any(|count| *count > 1) {
            return Err(bad("a node has two parents, or a root has one"));
        }
        if parents.contains(&0) {
            return Err(bad("a node belongs to no tree"));
        }
        let leaves = self.leaves_under();
        if self
            .roots
            .iter()
            .any(|root| leaves[*root as usize] > MAX_LEAVES)
        {
            return Err(bad(&format!("a tree has more than {MAX_LEAVES} leaves")));
        }
        Ok(())
    }

    /// Leaves under each node (children come after parents, so one backward pass).
    fn leaves_under(&self) -> Vec<usize> {
        let mut leaves = vec![1usize; self.feature.len()];
        for node in (0..self.feature.len()).rev() {
            if self.is_split(node) {
                leaves[node] = leaves[self.left[node] as usize]
                    .saturating_add(leaves[self.right[node] as usize]);
            }
        }
        leaves
    }

    /// The exit tables of a checked ensemble.
    fn build(&self, features: usize, baseline: f64) -> TreeEnsemble {
        let size = self.feature.len();
        let trees = self.roots.len();
        let leaves = self.leaves_under();
        // Each node's tree and the leftmost leaf under it; parents come first.
        let mut tree_of = vec![0usize; size];
        let mut first_leaf = vec![0usize; size];
        for (tree, root) in self.roots.iter().enumerate() {
            tree_of[*root as usize] = tree;
        }
        let mut leaf_values = vec![0.0; trees * MAX_LEAVES];
        for node in 0..size {
            if self.is_split(node) {
                let (left, right) = (self.left[node] as usize, self.right[node] as usize);
                tree_of[left] = tree_of[node];
                tree_of[right] = tree_of[node];
                first_leaf[left] = first_leaf[node];
                first_leaf[right] = first_leaf[node] + leaves[left];
            } else if let Some(slot) =
                leaf_values.get_mut(tree_of[node] * MAX_LEAVES + first_leaf[node])
            {
                *slot = self.value[node];
            }
        }
        let mut thresholds = Vec::with_capacity(features);
        let mut masks = Vec::with_capacity(features);
        for feature in 0..features {
            let mut splits: Vec<usize> = (0..size)
                .filter(|node| self.is_split(*node) && self.feature[*node] as usize == feature)
                .collect();
            splits.sort_by(|a, b| self.threshold[*a].total_cmp(&self.threshold[*b]));
            let keep = |node: usize| {
                let left = self.left[node] as usize;
                let width = leaves[left] as u32;
                let ruled_out = 1u64
                    .checked_shl(width)
                    .map_or(u64::MAX, |bit| bit - 1)
                    .checked_shl(first_leaf[left] as u32)
                    .unwrap_or(0);
                !ruled_out
            };
            let mut table = vec![u64::MAX; (splits.len() + 2) * trees];
            for (rank, node) in splits.iter().enumerate() {
                let (before, after) = table.split_at_mut((rank + 1) * trees);
                let row = &mut after[..trees];
                row.copy_from_slice(&before[rank * trees..]);
                row[tree_of[*node]] &= keep(*node);
            }
            let missing = (splits.len() + 1) * trees;
            for node in splits.iter().filter(|node| !self.missing_left[**node]) {
                table[missing + tree_of[*node]] &= keep(*node);
            }
            thresholds.push(splits.iter().map(|node| self.threshold[*node]).collect());
            masks.push(table);
        }
        TreeEnsemble {
            features,
            baseline,
            trees,
            thresholds,
            masks,
            leaf_values,
        }
    }
}
