"""Recurrent layers: cells, the RNN loop, the Keras layers built on them, and the wrappers."""

from kerasette.layers.rnn.bidirectional import Bidirectional
from kerasette.layers.rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from kerasette.layers.rnn.gru import GRU
from kerasette.layers.rnn.gru_cell import GRUCell
from kerasette.layers.rnn.lstm import LSTM
from kerasette.layers.rnn.lstm_cell import LSTMCell
from kerasette.layers.rnn.rnn import RNN
from kerasette.layers.rnn.simple_rnn import SimpleRNN
from kerasette.layers.rnn.simple_rnn_cell import SimpleRNNCell
from kerasette.layers.rnn.stacked_rnn_cells import StackedRNNCells
from kerasette.layers.rnn.time_distributed import TimeDistributed

__all__ = ["Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
           "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell",
           "StackedRNNCells", "TimeDistributed"]
