"""The NLU pipeline's own components: the folding tokenizer reaches the featurizers."""

from __future__ import annotations

from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu_components import NormalisingWhitespaceTokenizer, fold_text


def _tokenizer() -> NormalisingWhitespaceTokenizer:
    return NormalisingWhitespaceTokenizer(NormalisingWhitespaceTokenizer.get_default_config())


def test_folding_unifies_what_people_type_differently() -> None:
    assert fold_text("Chức") == fold_text("chuc")
    assert fold_text("أهلاً") == fold_text("اهلا")
    assert fold_text("ی") == fold_text("ي")
    assert fold_text("helppppp") == "helpp"


def test_tokens_are_folded_for_every_consumer_with_offsets_on_the_original() -> None:
    message = Message(data={TEXT: "Các CHỨC năng"})
    tokens = _tokenizer().tokenize(message, TEXT)
    assert [t.text for t in tokens] == ["cac", "chuc", "nang"]
    assert [t.lemma for t in tokens] == ["cac", "chuc", "nang"]
    assert [message.get(TEXT)[t.start:t.end] for t in tokens] == ["Các", "CHỨC", "năng"]


def test_the_word_featurizer_sees_the_folded_words(tmp_path) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    tokenizer = _tokenizer()
    messages = [Message(data={TEXT: text, "intent": "menu"}) for text in ("Các chức năng", "chuc nang")]
    data = TrainingData(training_examples=messages)
    tokenizer.process_training_data(data)
    assert all(m.get(TOKENS_NAMES[TEXT]) for m in messages)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("cvf"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    featurizer.train(data)
    vocabulary = featurizer.vectorizers[TEXT].vocabulary_
    assert {"cac", "chuc", "nang"} <= set(vocabulary)
    assert "chức" not in vocabulary
