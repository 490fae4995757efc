function json = zeromq_test_serializeWave(varargin)
%ZEROMQ_TEST_SERIALIZEWAVE The JSON a remote caller receives for an array.
%   json = zeromq_test_serializeWave(array)
%
%   array is a numeric or logical array, a char row or a cell array, converted as
%   results of remote calls are (see zeromq_handler_start).
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
json = zeromq_mex('test_serializewave', varargin{:});
end
