//! The model loaders refuse malformed files with `Error::Model` naming the file, never panic:
//! each case is the real bundled file with one thing broken.

mod models_support;

use models_support::data_file;
use serde_json::{json, Value};
use spindetect_engine::calibration::NullDistribution;
use spindetect_engine::suspects::SuspectModel;
use spindetect_engine::trees::TreeEnsemble;
use spindetect_engine::verdict::DocumentModel;
use spindetect_engine::Error;

fn real(name: &str) -> Value {
    let text = std::fs::read_to_string(data_file(name)).expect("data file");
    serde_json::from_str(&text).expect("JSON")
}

fn model_error<T: std::fmt::Debug>(result: spindetect_engine::Result<T>, origin: &str) -> String {
    match result {
        Err(Error::Model(message)) => {
            assert!(
                message.starts_with(origin),
                "{message} does not name {origin}"
            );
            message
        }
        other => panic!("expected a model error, got {other:?}"),
    }
}

#[test]
fn null_distribution_refuses_broken_tables() {
    let good = real("null_statistics.json");
    assert!(NullDistribution::from_json(&good.to_string(), "null").is_ok());
    let mut cases = vec!["{".to_string(), "[]".to_string(), "NaN".to_string()];
    for (key, value) in [
        ("values", json!([1.0])),
        ("survival", json!([0.5, "x"])),
        ("values", json!("no")),
        ("survival", json!(null)),
    ] {
        let mut broken = good.clone();
        broken[key] = value;
        cases.push(broken.to_string());
    }
    let mut reversed = good.clone();
    let mut values = reversed["values"].as_array().expect("values").clone();
    values.reverse();
    reversed["values"] = Value::Array(values);
    cases.push(reversed.to_string());
    let mut zero = good.clone();
    zero["survival"][3] = json!(0.0);
    cases.push(zero.to_string());
    let first = good["values"][0].to_string();
    let values_at = good.to_string().find("\"values\"").expect("values key");
    let text = good.to_string();
    let (head, tail) = text.split_at(values_at);
    cases.push(format!("{head}{}", tail.replacen(&first, "NaN", 1)));
    for case in cases {
        model_error(NullDistribution::from_json(&case, "null.json"), "null.json");
    }
}

#[test]
fn tree_ensemble_refuses_inconsistent_nodes() {
    let trees = real("suspect_model.json")["trees"].clone();
    assert!(TreeEnsemble::from_json_value(&trees, 10).is_ok());
    let split = trees["left"]
        .as_array()
        .expect("left")
        .iter()
        .position(|left| left.as_i64() >= Some(0))
        .expect("a split");
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut edit = |what: &'static str, change: &dyn Fn(&mut Value)| {
        let mut broken = trees.clone();
        change(&mut broken);
        cases.push((what, broken));
    };
    edit("no roots", &|t| t["roots"] = json!([]));
    edit("short array", &|t| {
        t["value"].as_array_mut().expect("value").pop();
    });
    edit("cycle", &|t| t["left"][split + 1] = json!(split));
    edit("own child", &|t| t["right"][split] = json!(split));
    edit("outside", &|t| t["right"][split] = json!(1_000_000));
    edit("negative right", &|t| t["right"][split] = json!(-1));
    edit("feature", &|t| t["feature"][split] = json!(10));
    edit("two parents", &|t| {
        let other = t["left"][split].clone();
        t["right"][split] = other;
    });
    edit("root with a parent", &|t| {
        t["roots"][1] = t["left"][split].clone()
    });
    edit("mistyped", &|t| t["threshold"][0] = json!("x"));
    edit("float index", &|t| t["left"][0] = json!(1.5));
    edit("baseline", &|t| t["baseline"] = json!(null));
    for (what, broken) in &cases {
        match TreeEnsemble::from_json_value(broken, 10) {
            Err(Error::Model(message)) => {
                assert!(message.starts_with("tree ensemble"), "{message}")
            }
            other => panic!("{what}: expected an error, got {other:?}"),
        }
    }
}

/// One tree splitting feature 0 at 0, 1, 2...: a chain with `leaves` leaves.
fn chain(leaves: usize) -> Value {
    let mut feature = Vec::new();
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for node in 0..leaves - 1 {
        feature.push(0);
        left.push(2 * node as i64 + 1);
        right.push(2 * node as i64 + 2);
        feature.push(0);
        left.push(-1);
        right.push(-1);
    }
    feature.push(0);
    left.push(-1);
    right.push(-1);
    // The chain continues on the right: node 2k + 2 splits again, except the last.
    let size = feature.len();
    let mut fixed_left = vec![-1i64; size];
    let mut fixed_right = vec![-1i64; size];
    let mut node = 0usize;
    for _ in 0..leaves - 1 {
        fixed_left[node] = node as i64 + 1;
        fixed_right[node] = node as i64 + 2;
        node += 2;
    }
    let threshold: Vec<f64> = (0..size).map(|i| i as f64).collect();
    json!({"baseline": 0.0, "roots": [0], "feature": feature, "threshold": threshold,
           "missing_left": vec![true; size], "left": fixed_left, "right": fixed_right,
           "value": (0..size).map(|i| i as f64).collect::<Vec<f64>>()})
}

#[test]
fn tree_ensemble_leaf_limit_and_scoring_of_a_chain() {
    let tree = TreeEnsemble::from_json_value(&chain(64), 1).expect("64 leaves");
    // Node 2k splits at 2k: a value v exits at the left leaf of the first split with v <= 2k.
    for (value, leaf) in [
        (-1.0, 1.0),
        (0.0, 1.0),
        (0.5, 3.0),
        (2.0, 3.0),
        (200.0, 126.0),
    ] {
        assert_eq!(
            tree.decision_row(&[value]).expect("row"),
            leaf,
            "value {value}"
        );
    }
    assert_eq!(tree.decision_row(&[f64::NAN]).expect("missing"), 1.0);
    assert!(matches!(
        tree.decision_row(&[1.0, 2.0]),
        Err(Error::Value(_))
    ));
    assert!(matches!(tree.decision(&[1.0, 2.0, 3.0]), Ok(ref v) if v.len() == 3));
    match TreeEnsemble::from_json_value(&chain(65), 1) {
        Err(Error::Model(message)) => assert!(message.contains("64 leaves"), "{message}"),
        other => panic!("65 leaves accepted: {other:?}"),
    }
}

#[test]
fn suspect_and_document_models_refuse_broken_files() {
    let suspect = real("suspect_model.json");
    assert!(SuspectModel::from_json(&suspect.to_string(), "s.json").is_ok());
    let mut cases = Vec::new();
    for (key, value) in [
        ("features", json!(["statistic"])),
        ("mixture_share", json!(1.0)),
        ("mixture_share", json!(0.0)),
        ("prior_log_odds", json!("high")),
        ("trees", json!({"roots": [0]})),
        ("trained_on", json!(3)),
    ] {
        let mut broken = suspect.clone();
        broken[key] = value;
        cases.push(broken.to_string());
    }
    cases.push("{\"features\": ".to_string());
    for case in &cases {
        model_error(SuspectModel::from_json(case, "s.json"), "s.json");
    }
    let document = real("document_model.json");
    assert!(DocumentModel::from_json(&document.to_string(), "d.json").is_ok());
    for (key, value) in [
        ("features", json!(["log_words"])),
        ("mean", json!([1.0, 2.0])),
        ("scale", json!([1.0, 2.0, "x"])),
        ("coef", json!(null)),
        ("intercept", json!([1.0])),
    ] {
        let mut broken = document.clone();
        broken[key] = value;
        model_error(
            DocumentModel::from_json(&broken.to_string(), "d.json"),
            "d.json",
        );
    }
    let missing = data_file("no_such_model.json");
    model_error(
        DocumentModel::from_file(&missing),
        &missing.display().to_string(),
    );
}
