"""The circle model on synthetic graphs and term matrices: blocks recovered, text and ties combined, splinters dropped."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.metrics import adjusted_mutual_info_score

from reef.layers.circles import InterestCircles, leiden
from reef.layers.groups import top_terms
from reef.layers.terms import display_term, words


def _blocks(sizes, p_in=0.3, p_out=0.01, seed=0):
    """A planted partition graph (symmetric, weighted 1) and its block labels."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    n = len(labels)
    same = labels[:, None] == labels[None, :]
    draw = rng.random((n, n)) < np.where(same, p_in, p_out)
    upper = np.triu(draw, 1)
    return sparse.csr_matrix((upper | upper.T).astype(float)), labels


def _terms(labels, vocab_per_block=6, shared=4, noise=0.2, seed=0):
    """Rows of block-specific words plus words every block uses, L2-normalised."""
    rng = np.random.default_rng(seed)
    k = labels.max() + 1
    width = k * vocab_per_block + shared
    x = np.zeros((len(labels), width))
    for i, b in enumerate(labels):
        x[i, b * vocab_per_block + rng.integers(0, vocab_per_block, 3)] += 1
        x[i, k * vocab_per_block + rng.integers(0, shared, 2)] += 1
        if rng.random() < noise:
            x[i, rng.integers(0, k * vocab_per_block)] += 1
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return sparse.csr_matrix(x)


def test_planted_blocks_are_recovered_from_ties_and_terms():
    A, y = _blocks([60, 50, 40])
    model = InterestCircles(min_size=10, min_share=0.0).fit(A, _terms(y))
    assert model.n_circles_ == 3
    assert adjusted_mutual_info_score(y, model.labels_) > 0.9
    assert np.allclose(model.proba_.sum(axis=1), 1.0, atol=1e-5)
    # Circle 0 is the largest block.
    assert np.bincount(model.labels_).argmax() == 0


def test_member_without_ties_joins_the_circle_of_their_words():
    A, y = _blocks([50, 50])
    X = _terms(y).toarray()
    n = len(y)
    A = sparse.bmat([[A, None], [None, sparse.csr_matrix((1, 1))]]).tocsr()  # one extra, isolated member ...
    extra = np.zeros((1, X.shape[1]))
    extra[0, 6:9] = 1.0  # ... writing block 1's words only
    X = sparse.csr_matrix(np.vstack([X, extra / np.linalg.norm(extra)]))
    model = InterestCircles(min_size=10, min_share=0.0).fit(A, X)
    block1 = np.bincount(model.labels_[:n][y == 1]).argmax()
    assert model.labels_[n] == block1
    assert model.graph_part_[n] == 0.0 and model.text_part_[n] > 0.5


def test_member_without_words_follows_their_ties():
    A, y = _blocks([40, 40])
    A = A.tolil()
    A.resize((81, 81))
    for j in np.flatnonzero(y == 0)[:5]:  # the new member talks to five members of block 0
        A[80, j] = A[j, 80] = 1.0
    X = sparse.vstack([_terms(y), sparse.csr_matrix((1, _terms(y).shape[1]))]).tocsr()
    model = InterestCircles(min_size=10, min_share=0.0).fit(A.tocsr(), X)
    assert model.labels_[80] == np.bincount(model.labels_[:80][y == 0]).argmax()
    assert model.text_part_[80] == 0.0 and model.graph_part_[80] == pytest.approx(1.0)


def test_text_corrects_a_member_whose_ties_mislead():
    """Half a member's ties point to the other block, all their words to their own: the words decide."""
    A, y = _blocks([50, 50], p_out=0.0)
    A = A.tolil()
    i = 0  # block 0 member, gets three extra ties into block 1
    for j in np.flatnonzero(y == 1)[:3]:
        A[i, j] = A[j, i] = 1.0
    model = InterestCircles(min_size=10, min_share=0.0).fit(A.tocsr(), _terms(y, noise=0.0))
    assert model.labels_[i] == model.labels_[1]


def test_splinter_communities_do_not_seed_circles():
    A, y = _blocks([80, 80, 12], p_in=0.5)
    model = InterestCircles(min_size=5, min_share=0.0, min_ratio=0.25).fit(A, _terms(y))
    assert model.n_circles_ == 2  # 12 < 0.25 x 80
    loose = InterestCircles(min_size=5, min_share=0.0, min_ratio=0.0).fit(A, _terms(y))
    assert loose.n_circles_ == 3


def test_same_seed_same_circles_and_no_ties_falls_back_to_topics():
    A, y = _blocks([30, 30, 30], p_in=0.2, p_out=0.05)
    X = _terms(y)
    a = InterestCircles(min_size=5, min_share=0.0, seed=3).fit(A, X).labels_
    b = InterestCircles(min_size=5, min_share=0.0, seed=3).fit(A, X).labels_
    assert (a == b).all()
    empty = sparse.csr_matrix((len(y), len(y)))
    topics = InterestCircles(min_size=5, min_share=0.0, fallback=3).fit(empty, _terms(y, noise=0.0))
    assert topics.n_circles_ >= 2
    assert adjusted_mutual_info_score(y, topics.labels_) > 0.6


def test_nothing_to_go_on_gives_no_circle():
    model = InterestCircles().fit(sparse.csr_matrix((3, 3)), sparse.csr_matrix((3, 0)))
    assert model.n_circles_ == 0 and (model.labels_ == -1).all()


def test_leiden_separates_two_cliques_joined_by_one_edge():
    clique = np.ones((5, 5)) - np.eye(5)
    A = sparse.block_diag([clique, clique]).tolil()
    A[0, 5] = A[5, 0] = 1.0
    labels = leiden(A.tocsr(), seed=1)
    assert len(set(labels[:5])) == 1 and len(set(labels[5:])) == 1 and labels[0] != labels[5]


def test_top_terms_prefer_what_sets_a_circle_apart():
    mass = np.array([[10.0, 0.0, 20.0, 1.0], [0.0, 10.0, 20.0, 1.0]])
    terms = np.array(["#改装", "#影音", "澜途", "@外观"])
    named = top_terms(mass, terms, 2)
    assert named[0][0][0] == "改装" and named[1][0][0] == "影音"
    assert all(t != "澜途" for t, _ in named[0])  # shared by both circles: no information


def test_name_stopwords_keep_the_brand_out_of_the_one_circle_that_uses_it_most():
    mass = np.array([[10.0, 0.0, 30.0, 1.0], [0.0, 10.0, 5.0, 1.0]])
    terms = np.array(["#改装", "#影音", "澜途", "@外观"])
    assert "澜途" in [t for t, _ in top_terms(mass, terms, 3)[0]]
    named = top_terms(mass, terms, 3, exclude=["澜途", "#影音"])  # as operators read them, any case
    assert all(t != "澜途" for t, _ in named[0]) and named[0][0][0] == "改装"
    assert top_terms(mass, terms, 3, exclude=["影音"])[1][0][0] != "影音"


def test_words_are_read_in_simplified_characters():
    assert "续航" in words("冬天續航掉了多少") and "續航" not in words("冬天續航掉了多少")


def test_words_drop_fillers_numbers_and_formulas():
    ws = words("请问大家 冬季续航 掉了 30% 吗？\\left|0\\rangle The qubit gate https://x.org/a")
    assert "冬季" in ws and "续航" in ws and "qubit" in ws and "gate" in ws
    assert not {"请问", "大家", "吗", "30", "the", "left", "rangle"} & set(ws)
    assert display_term("#改装") == "改装" and display_term("@外观") == "外观" and display_term("轮毂") == "轮毂"
    assert display_term("l9") == "L9" and display_term("#x5") == "X5" and display_term("carplay") == "carplay"


def test_english_fillers_are_not_terms_and_words_are_not_shown_as_acronyms():
    # On se-quantumcomputing a circle's top term was "LIKE": a filler kept as a content word, then upper-cased
    # because it has four letters.
    ws = words("I would like to know, does this gate work just like a CNOT? Really using it")
    assert {"gate", "cnot"} <= set(ws) and not {"like", "know", "does", "just", "really", "using"} & set(ws)
    assert [display_term(t) for t in ("gate", "work", "ota", "cltc", "wltc", "nedc")] == ["gate", "work", "OTA", "CLTC", "WLTC", "NEDC"]


def test_traditional_tags_are_one_term_with_their_simplified_form(tmp_path):
    from datetime import datetime, timezone

    from reef.config import load_config
    from reef.layers.common import layer_params
    from reef.layers.terms import member_terms
    from tests.conftest import import_rows

    t = "2026-03-01T00:00:00+08:00"
    members = [{"member_id": f"m{i}", "joined_at": "2026-01-01T00:00:00+08:00"} for i in range(4)]
    content = [{"content_id": f"c{i}", "kind": "thread", "author_id": f"m{i}", "created_at": t, "title": "x",
                "tags": ["續航"] if i % 2 else ["续航"]} for i in range(4)]
    store = import_rows(tmp_path, {"members": members, "content": content})
    p = {**layer_params(load_config()), "min_df": 1, "max_df": 1.0, "text_weight": 0.0}
    mt = member_terms(store, datetime(2026, 4, 1, tzinfo=timezone.utc), p)
    assert list(mt.terms) == ["#续航"] and mt.counts.shape == (4, 1)
